"""Keeping the statistics counters (``imagemonkey.models.stats``) with every write, one upsert each.

The SQL is the same on SQLite (3.35+) and PostgreSQL, run as :class:`PreparedWrite`s because
:func:`count_write` runs with every logged write.

Every write of a kind adds to the same ``stat_daily`` row of the day, which an UPDATE holds
locked until its transaction commits: on PostgreSQL, concurrent writers of one kind would take
turns, one commit (one WAL flush) each. So each database connection adds to its own ``shard``
row (:func:`shard_of`) and readers sum the shards: a process's concurrent transactions never
share a counter row, and its commits are flushed together again.
"""
from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from ..db.prepared import PreparedWrite
from ..db.transactions import connection_of

ACTIVE = "contributor.active"
PUBLIC_BY_DAY = "image.public"  # public images by the day they were donated
#: Shards per day and kind: more than a process's pooled connections (``sqlalchemy.pool_size`` + overflow).
SHARDS = 32
ADD_DAILY = PreparedWrite(text(
    "INSERT INTO stat_daily (day, kind, shard, count) VALUES (:day, :kind, :shard, :n) "
    "ON CONFLICT (day, kind, shard) DO UPDATE SET count = stat_daily.count + excluded.count"),
    ["day", "kind", "shard", "n"])
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
    return day_of_moment(datetime.now(UTC))


def day_of_moment(moment: datetime) -> str:
    """The UTC day of a timezone-aware moment, ``YYYY-MM-DD``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


_next_shard = itertools.count()


def shard_of(dbsession: Any) -> int:
    """The ``stat_daily`` shard of the session's database connection (given in turn as connections open)."""
    info = connection_of(dbsession).connection.info
    shard = info.get("stat_shard")
    if shard is None:
        shard = info["stat_shard"] = next(_next_shard) % SHARDS
    return shard


def add_daily(dbsession: Any, day: str, kind: str, n: int) -> None:
    """Add ``n`` to the count of ``kind`` on ``day``, in the shard of the session's connection."""
    ADD_DAILY.execute(dbsession, {"day": day, "kind": kind, "shard": shard_of(dbsession), "n": n})


def count_write(dbsession: Any, contributor_id: int, kind: str, day: str) -> None:
    """One more write of ``kind`` on ``day``; the contributor counts as active that day (once)."""
    add_daily(dbsession, day, kind, 1)
    if MARK_ACTIVE.execute(dbsession, {"day": day, "contributor_id": contributor_id}):
        add_daily(dbsession, day, ACTIVE, 1)


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
    add_daily(dbsession, day or today(), kind, n)


def count_public(dbsession: Any, image: Any, sign: int) -> None:
    """``image`` became public (``sign=1``) or stopped being public (``-1``): its donation day's public count."""
    add_daily(dbsession, image.created_at.strftime("%Y-%m-%d"), PUBLIC_BY_DAY, sign)
