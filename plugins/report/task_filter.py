"""Which images the report plugin keeps out of tasks: ones the asker reported, and ones it holds."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, not_

from .models import QueueItem, Report


def task_clause(request: Any, image_id: Any) -> ColumnElement[bool]:
    """NOT reported by the asker (any report of theirs) AND NOT held by this plugin (for everyone).

    Both are ``NOT EXISTS`` probes on a primary or unique key (``report_queue_item.image_id``,
    ``report_report (image_id, contributor_id)``).
    """
    held = exists().where(QueueItem.image_id == image_id, QueueItem.hidden.is_(True))
    contributor = getattr(request, "contributor", None)
    if contributor is None:
        return not_(held)
    mine = exists().where(Report.image_id == image_id, Report.contributor_id == contributor.id)
    return and_(not_(held), not_(mine))
