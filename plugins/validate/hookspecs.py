"""Hooks the validate plugin declares (documented in docs/plugins/validate.md)."""
from __future__ import annotations

from imagemonkey.hookspecs import hookspec


@hookspec
def validate_subject_kinds() -> list[dict]:
    """Votable subject kinds other plugins add. Each: {"kind": "annotation", "question": "Is this outline of {article} {label} right?"
       (format fields: label, article), "describe": callable(request, subject_ids: list[int]) -> dict[int, dict]} where each
       description is {"image_id": int, "label": str, ...extra JSON fields for the task, e.g. "annotation": {...}}; a missing id = gone."""  # noqa: E501


@hookspec
def validate_subject_changed(request, kind: str, subject_id: int, image_id: int, label: str, owner_id: int | None) -> None:  # noqa: ANN001, E501
    """Another plugin announces a subject was created or changed (e.g. a new annotation revision): validate creates its
       row or resets its votes and state. owner_id is the contributor who made it (they may not vote on it). validate
       itself implements this; callers check `hasattr(request.registry.pm.hook, "validate_subject_changed")`."""


@hookspec
def validate_subject_removed(request, kind: str, subject_id: int) -> None:  # noqa: ANN001
    """A subject is gone: validate deletes its votes and row (implemented by validate)."""


@hookspec
def validate_state_changed(request, kind: str, subject_id: int, image_id: int, label: str, old_state: str, new_state: str, confidence: float) -> None:  # noqa: ANN001, E501
    """Event: a subject's state changed (e.g. unverified→verified). Fires inside the transaction."""


@hookspec(firstresult=True)
def validate_verified_clause(request, image_label_id):  # noqa: ANN001, ANN201
    """A SQL clause (ColumnElement[bool]) true when the image label whose id is the column expression `image_label_id`
       is verified, for other plugins' queries (e.g. the playground trains on verified labels only). Implemented by
       validate; callers check `hasattr(request.registry.pm.hook, "validate_verified_clause")`."""
