"""Which images may be offered as tasks, and which of them first.

``task_image_clause`` is the AND of every plugin's ``imagemonkey_task_image_filter``; ``task_preference_clause`` is
the first plugin's ``imagemonkey_task_preference`` (the playground's active learning), or None.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, true


def task_image_clause(request: Any, image_id: Any) -> ColumnElement[bool]:
    """A SQL clause on the image id expression ``image_id`` that every plugin's task filter accepts."""
    clauses = [clause for clause in request.registry.pm.hook.imagemonkey_task_image_filter(
        request=request, image_id=image_id) if clause is not None]
    return and_(*clauses) if clauses else true()


def task_preference_clause(request: Any, kind: str, image_id: Any) -> ColumnElement[bool] | None:
    """A SQL clause on ``image_id`` naming the images to offer first for a task of ``kind``, or None (no preference).

    Task choosers try the preferred images first (with every other condition unchanged) and fall back to their
    usual order when none of them is left.
    """
    return request.registry.pm.hook.imagemonkey_task_preference(request=request, kind=kind, image_id=image_id)
