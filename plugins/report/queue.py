"""The moderation queue: one item per image that waits for a moderator, kept up to date, read by keyset."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from imagemonkey.plugin import Image, encode_cursor, invalid, utcnow

from .models import QUEUE_ORDERS, QueueItem, Report
from .settings import REASONS
from .weighting import image_score

KINDS = ("pending", "reported", "screened")
SEVERITY = {"pending": 0, "reported": 1, "screened": 2}


def open_item(dbsession: Any, image: Image, kind: str, reason: str | None = None) -> QueueItem:
    """Put ``image`` in the queue as ``kind`` (or raise its kind to ``kind``); reopens a closed item."""
    item = dbsession.get(QueueItem, image.id, with_for_update=True)
    if item is None:
        item = QueueItem(image_id=image.id, kind=kind, reason=reason, is_open=True, opened_at=utcnow(),
                         report_count=0, score=0.0, hidden=False, screening_hit=False)
        try:
            with dbsession.begin_nested():  # a concurrent request may queue the same image first
                dbsession.add(item)
                dbsession.flush()
            return item
        except IntegrityError:
            item = dbsession.get(QueueItem, image.id, with_for_update=True, populate_existing=True)
    if not item.is_open:
        item.is_open, item.opened_at, item.kind = True, utcnow(), kind
    elif SEVERITY[kind] > SEVERITY[item.kind]:
        item.kind = kind
    if reason is not None and (item.reason is None or kind == "screened"):
        item.reason = reason
    return item


def refresh_reports(dbsession: Any, policy: Any, item: QueueItem) -> None:
    """Recompute the item's report count, score and main reason from the image's open reports."""
    rows = dbsession.execute(select(Report.reason, Report.weight, Report.fresh).where(
        Report.image_id == item.image_id, Report.state == "open")).all()
    item.report_count = len(rows)
    item.score = image_score(policy, [(weight, fresh) for _, weight, fresh in rows])
    if rows and not item.screening_hit:
        weights: Counter[str] = Counter()
        for reason, weight, _ in rows:
            weights[reason] += weight + 1e-6  # ties and zero weights: the more frequent reason
        item.reason = weights.most_common(1)[0][0]


def read_filters(params: Any) -> tuple[str | None, str | None, str]:
    """``kind``, ``reason`` and ``order`` from the query string, or a 400."""
    kind, reason = params.get("kind") or None, params.get("reason") or None
    order = params.get("order") or "oldest"
    if kind is not None and kind not in KINDS:
        raise invalid(f"kind must be one of {', '.join(KINDS)}.", field="kind")
    if reason is not None and reason not in REASONS:
        raise invalid(f"reason must be one of {', '.join(REASONS)}.", field="reason")
    if order not in QUEUE_ORDERS:
        raise invalid(f"order must be one of {', '.join(QUEUE_ORDERS)}.", field="order")
    return kind, reason, order


def page(dbsession: Any, *, kind: str | None, reason: str | None, order: str, cursor: Any,
         limit: int) -> tuple[list[QueueItem], str | None]:
    """Open items, oldest first or most reported first, filtered; keyset-paginated through ``cursor`` (the
    integers of :func:`cursor_size`, as ``read_cursor`` checked them)."""
    query = select(QueueItem).where(QueueItem.is_open.is_(True))
    if kind is not None:
        query = query.where(QueueItem.kind == kind)
    if reason is not None:
        query = query.where(QueueItem.reason == reason)
    if order == "oldest":
        query = query.order_by(QueueItem.opened_at, QueueItem.image_id)
        if cursor is not None:
            seconds, micros, image_id = cursor
            opened_at = datetime.fromtimestamp(seconds, UTC).replace(microsecond=min(micros, 999_999))
            query = query.where(or_(QueueItem.opened_at > opened_at,
                                    and_(QueueItem.opened_at == opened_at, QueueItem.image_id > image_id)))
    else:
        query = query.order_by(QueueItem.report_count.desc(), QueueItem.image_id.desc())
        if cursor is not None:
            count, image_id = cursor
            query = query.where(or_(QueueItem.report_count < count,
                                    and_(QueueItem.report_count == count, QueueItem.image_id < image_id)))
    items = list(dbsession.scalars(query.limit(limit + 1)))
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        key = ([int(last.opened_at.timestamp()), last.opened_at.microsecond, last.image_id] if order == "oldest"
               else [last.report_count, last.image_id])
        next_cursor = encode_cursor(key)
    return items, next_cursor


def cursor_size(order: str) -> int:
    """How many integers a cursor of ``order`` holds: (seconds, microseconds, image id) or (count, image id)."""
    return 3 if order == "oldest" else 2


def queue_length(dbsession: Any) -> int:
    """How many items are open."""
    return int(dbsession.scalar(select(func.count()).select_from(QueueItem).where(QueueItem.is_open.is_(True))))
