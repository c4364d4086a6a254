"""Keeping the statistics counters (``imagemonkey.models.stats``) with every write, one upsert each.

The SQL is the same on SQLite (3.35+) and PostgreSQL, run as :class:`PreparedWrite`s because
:func:`count_write` runs with every logged write.

Every write of a kind adds to the same ``stat_daily`` row of the day (every donation to the
``public`` row of ``stat_image_status`` and to its labels' ``stat_label`` rows), which an UPDATE
holds locked until its transaction commits: on PostgreSQL, concurrent writers would take turns,
one commit (one WAL flush) each. So each database connection adds to its own ``shard`` row of
all three tables (:func:`shard_of`) and readers sum the shards: concurrent transactions, of one
process or of several, share no counter row, and their commits are flushed together again.
"""
from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from ..db.prepared import PreparedWrite
from ..db.transactions import connection_of

ACTIVE = "contributor.active"
PUBLIC_BY_DAY = "image.public"  # public images by the day they were donated
#: Shards per counter row: more than the pooled connections (``sqlalchemy.pool_size`` + overflow) of all processes.
SHARDS = 32
#: The first key of the PostgreSQL advisory locks by which connections claim their shards (``"stat"``).
SHARD_LOCKS = 0x73746174
ADD_DAILY = PreparedWrite(text(
    "INSERT INTO stat_daily (day, kind, shard, count) VALUES (:day, :kind, :shard, :n) "
    "ON CONFLICT (day, kind, shard) DO UPDATE SET count = stat_daily.count + excluded.count"),
    ["day", "kind", "shard", "n"])
MARK_ACTIVE = PreparedWrite(text(
    "INSERT INTO stat_active (day, contributor_id) VALUES (:day, :contributor_id) "
    "ON CONFLICT (day, contributor_id) DO NOTHING RETURNING day"), ["day", "contributor_id"])
ADD_LABEL = PreparedWrite(text(
    "INSERT INTO stat_label (label, shard, images) VALUES (:label, :shard, :n) "
    "ON CONFLICT (label, shard) DO UPDATE SET images = stat_label.images + excluded.images"),
    ["label", "shard", "n"])
ADD_STATUS = PreparedWrite(text(
    "INSERT INTO stat_image_status (status, shard, images) VALUES (:status, :shard, :n) "
    "ON CONFLICT (status, shard) DO UPDATE SET images = stat_image_status.images + excluded.images"),
    ["status", "shard", "n"])
CLAIM_SHARD = text("SELECT pg_try_advisory_lock(:locks, :shard)")


def today() -> str:
    """The UTC day, ``YYYY-MM-DD``."""
    return day_of_moment(datetime.now(UTC))


def day_of_moment(moment: datetime) -> str:
    """The UTC day of a timezone-aware moment, ``YYYY-MM-DD``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


_next_shard = itertools.count()


def shard_of(dbsession: Any) -> int:
    """The counter shard of the session's database connection, chosen once per connection.

    SQLite (one writer at a time) gives shards in turn as a process's connections open. On
    PostgreSQL a connection claims the first free shard from its process id on, holding a
    session-level advisory lock ``(SHARD_LOCKS, shard)`` for the connection's life, so the
    connections of every process on the database hold different shards (when all are taken, it
    shares the one its backend's process id names).
    """
    connection = connection_of(dbsession)
    info = connection.connection.info
    shard = info.get("stat_shard")
    if shard is None:
        shard = info["stat_shard"] = _claim_shard(connection)
    return shard


def _claim_shard(connection: Any) -> int:
    if connection.dialect.name != "postgresql":
        return next(_next_shard) % SHARDS
    pid = int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar())
    start = (pid + os.getpid()) % SHARDS
    for step in range(SHARDS):
        shard = (start + step) % SHARDS
        if connection.execute(CLAIM_SHARD, {"locks": SHARD_LOCKS, "shard": shard}).scalar():
            return shard
    return start


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
        ADD_LABEL.execute(dbsession, {"label": label, "shard": shard_of(dbsession), "n": sign * n})


def count_status(dbsession: Any, old: str | None, new: str | None) -> None:
    """An image moved from status ``old`` to ``new`` (None: it did not exist / no longer exists)."""
    if old == new:
        return
    if old is not None:
        add_status(dbsession, old, -1)
    if new is not None:
        add_status(dbsession, new, 1)


def add_status(dbsession: Any, status: str, n: int) -> None:
    """Add ``n`` (may be negative) images to ``status``, in the shard of the session's connection."""
    ADD_STATUS.execute(dbsession, {"status": status, "shard": shard_of(dbsession), "n": n})


def count_daily(dbsession: Any, kind: str, n: int = 1, day: str | None = None) -> None:
    """Add ``n`` (may be negative) to the counter of ``kind`` on ``day`` (``YYYY-MM-DD``, default today, UTC)."""
    add_daily(dbsession, day or today(), kind, n)


def count_public(dbsession: Any, image: Any, sign: int) -> None:
    """``image`` became public (``sign=1``) or stopped being public (``-1``): its donation day's public count."""
    add_daily(dbsession, image.created_at.strftime("%Y-%m-%d"), PUBLIC_BY_DAY, sign)
