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


