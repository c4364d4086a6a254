"""Hooks the validate plugin declares (documented in docs/plugins/validate.md, tested in tests/plugins/validate).

Other plugins reach validate only through these hooks, never by importing its modules.
A caller checks that validate is enabled with ``registry.pm.hook.<name>.has_spec()``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from imagemonkey.plugin import hookspec

if TYPE_CHECKING:
    from pyramid.request import Request


@hookspec
def validate_subject_kinds() -> list[dict[str, Any]]:
    """Votable subject kinds other plugins add.

    Called once per app when validate first needs its kinds.

    :returns: items ``{"kind": "annotation", "question": "Is this outline of {article} {label} right?",
        "describe": describe}``; ``question`` has the format fields ``label`` and ``article``;
        ``describe(request, subject_ids) -> {id: {"image_id": int, "label": str, ...}}`` gives
        the extra JSON of each task (a missing id means the subject is gone).
    """


@hookspec
def validate_subject_changed(request: Request, kind: str, subject_id: int, image_id: int, label: str,
                             owner_id: int | None) -> None:
    """Another plugin announces that a subject was created or changed (a new annotation revision).

    Validate creates its row, or resets its votes and state. Implemented by validate.

    :param request: the request making the change.
    :param kind: the subject kind (declared through :func:`validate_subject_kinds`).
    :param subject_id: the subject's id in its owner's table.
    :param image_id: the image the subject is about.
    :param label: the label it is about.
    :param owner_id: the contributor who made it (they may not vote on it), or None.
    """


@hookspec
def validate_subject_removed(request: Request, kind: str, subject_id: int) -> None:
    """A subject is gone: validate deletes its votes and row. Implemented by validate.

    :param request: the request removing it.
    :param kind: the subject kind.
    :param subject_id: the subject's id.
    """


@hookspec(firstresult=True)
def validate_states(request: Request, kind: str, subject_ids: list[int]) -> dict[int, str] | None:
    """The validation state of subjects, for plugins that act on verified ones. Implemented by validate.

    :param request: the asking request.
    :param kind: the subject kind (``"image_label"`` for image labels).
    :param subject_ids: the subjects asked about.
    :returns: ``{subject_id: state}`` for the known ones (``unverified``, ``verified``,
        ``rejected``, ``contested``); unknown ids are left out.
    """


@hookspec
def validate_state_changed(request: Request, kind: str, subject_id: int, image_id: int, label: str,
                           old_state: str, new_state: str, confidence: float) -> None:
    """Event: a subject's state changed (for example unverified → verified). Fires inside the transaction.

    :param request: the request whose vote changed it.
    :param kind: the subject kind.
    :param subject_id: the subject's id.
    :param image_id: the image it is about.
    :param label: the label it is about.
    :param old_state: the state before.
    :param new_state: the state now.
    :param confidence: the probability that the subject is right, now.
    """


@hookspec(firstresult=True)
def validate_standing(request: Request, contributor_ids: list[int]) -> dict[int, dict[str, float]]:
    """How far each contributor's answers agreed with settled results, for plugins that weigh people (report).

    Only agreement that cost something counts: anchored by a moderator or an established contributor, on
    other contributors' settled subjects, from an old enough token, over enough donors and days, capped per
    hour and per address (docs/plugins/validate.md, *Standing*). First result wins; implemented by validate.

    :param request: the asking request.
    :param contributor_ids: the contributors to look up.
    :returns: ``{contributor_id: {"reliability": P(their answer is right) in (0, 1), "evidence": counted
        agreement and disagreement behind it}}``; without a counted record the prior mean and evidence 0.
    """


@hookspec(firstresult=True)
def validate_verified_clause(request: Request, image_label_id: Any) -> Any:
    """A SQL clause that holds when an image label is verified, for other plugins' queries.

    The playground trains on the image labels it selects with it. Implemented by validate.

    :param request: the asking request.
    :param image_label_id: a SQL column expression of an image label id (e.g. ``ImageLabel.id``).
    :returns: a ``ColumnElement[bool]`` (an ``EXISTS`` on validate's ``(kind, subject_id)`` unique index).
    """
