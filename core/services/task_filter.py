"""Which images may be offered as tasks: the AND of every plugin's ``imagemonkey_task_image_filter``."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, true


def task_image_clause(request: Any, image_id: Any) -> ColumnElement[bool]:
    """A SQL clause on the image id expression ``image_id`` that every plugin's task filter accepts."""
    clauses = [clause for clause in request.registry.pm.hook.imagemonkey_task_image_filter(
        request=request, image_id=image_id) if clause is not None]
    return and_(*clauses) if clauses else true()
