"""Keeping the statistics counters (``imagemonkey.models.stats``) with every write, one upsert each.

The SQL is the same on SQLite (3.35+) and PostgreSQL, run as :class:`PreparedWrite`s because
:func:`count_write` runs with every logged write.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from ..db.prepared import PreparedWrite

ACTIVE = "contributor.active"
PUBLIC_BY_DAY = "image.public"  # public images by the day they were donated
ADD_DAILY = PreparedWrite(text(
    "INSERT INTO stat_daily (day, kind, count) VALUES (:day, :kind, :n) "
    "ON CONFLICT (day, kind) DO UPDATE SET count = stat_daily.count + excluded.count"), ["day", "kind", "n"])
MARK_ACTIVE = PreparedWrite(text(
    "INSERT INTO stat_active (day, contributor_id) VALUES (:day, :contributor_id) "
    "ON CONFLICT (day, contributor_id) DO NOTHING RETURNING day"), ["day", "contributor_id"])
ADD_LABEL = PreparedWrite(text(
    "INSERT INTO stat_label (label, images) VALUES (:label, :n) "
    "ON CONFLICT (label) DO UPDATE SET images = stat_label.images + excluded.images"), ["label", "n"])
ADD_STATUS = PreparedWrite(text(
    "INSERT INTO stat_image_status (status, images) VALUES (:status, :n) "
    "ON CONFLICT (status) DO UPDATE SET images = stat_image_status.images + excluded.images"), ["status", "n"])


def today() -> str:
    """The UTC day, ``YYYY-MM-DD``."""
    return datetime.now(UTC).strftime("%Y-%m-%d")


def count_write(dbsession: Any, contributor_id: int, kind: str) -> None:
    """One more write of ``kind`` today; the contributor counts as active today (once)."""
    day = today()
    ADD_DAILY.execute(dbsession, {"day": day, "kind": kind, "n": 1})
    if MARK_ACTIVE.execute(dbsession, {"day": day, "contributor_id": contributor_id}):
        ADD_DAILY.execute(dbsession, {"day": day, "kind": ACTIVE, "n": 1})


def count_labels(dbsession: Any, labels: Iterable[str], sign: int = 1) -> None:
    """Add (``sign=1``) or take away (``-1``) one image per label name in ``labels``."""
    for label, n in Counter(labels).items():
        ADD_LABEL.execute(dbsession, {"label": label, "n": sign * n})


def count_status(dbsession: Any, old: str | None, new: str | None) -> None:
    """An image moved from status ``old`` to ``new`` (None: it did not exist / no longer exists)."""
    if old == new:
        return
    if old is not None:
        ADD_STATUS.execute(dbsession, {"status": old, "n": -1})
    if new is not None:
        ADD_STATUS.execute(dbsession, {"status": new, "n": 1})


def count_daily(dbsession: Any, kind: str, n: int = 1, day: str | None = None) -> None:
    """Add ``n`` (may be negative) to the counter of ``kind`` on ``day`` (``YYYY-MM-DD``, default today, UTC)."""
    ADD_DAILY.execute(dbsession, {"day": day or today(), "kind": kind, "n": n})


def count_public(dbsession: Any, image: Any, sign: int) -> None:
    """``image`` became public (``sign=1``) or stopped being public (``-1``): its donation day's public count."""
    ADD_DAILY.execute(dbsession, {"day": image.created_at.strftime("%Y-%m-%d"), "kind": PUBLIC_BY_DAY, "n": sign})
