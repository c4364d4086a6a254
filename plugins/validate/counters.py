"""Counters kept with every change: subjects per label and state, votes per day (statistics never scan)."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from imagemonkey.plugin import PreparedWrite, write

from .consensus import STATES
from .models import DailyVotes, LabelCount

STATS_LABELS = 50


def run_write(dbsession: Any, statement: Any, rows: list[dict[str, Any]]) -> None:
    """Run a Core write for ``rows`` (one statement, many parameter sets) on the session's connection.

    Straight on the connection (``flush=False``), the ORM neither compiles its own version of the
    statement nor flushes first; ``write`` marks the session changed so the transaction commits it.
    """
    if rows:
        write(dbsession, statement, rows, flush=False)


def upsert(dbsession: Any, model: Any, key: dict[str, Any], increments: dict[str, Any]) -> None:
    """``INSERT ... ON CONFLICT DO UPDATE`` adding ``increments`` to one row (SQLite and PostgreSQL)."""
    upsert_many(dbsession, model, list(key), [{**key, **increments}])


def _dialect(dbsession: Any) -> Any:
    return postgresql if dbsession.get_bind().dialect.name == "postgresql" else sqlite


@lru_cache(maxsize=64)
def _adding_upsert(dialect: Any, table: Any, keys: tuple[str, ...], values: tuple[str, ...]) -> Any:
    """Built once per shape: building a statement costs more than running it."""
    statement = dialect.insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in values})


def upsert_many(dbsession: Any, model: Any, keys: list[str], rows: list[dict[str, Any]]) -> None:
    """Add each row's non-key values to the stored row with the same key (created when missing), in one statement."""
    if not rows:
        return
    values = tuple(name for name in rows[0] if name not in keys)
    run_write(dbsession, _adding_upsert(_dialect(dbsession), model.__table__, tuple(keys), values), rows)


def count_state(dbsession: Any, label: str, old_state: str | None, new_state: str | None) -> None:
    """Move one subject of ``label`` from ``old_state`` to ``new_state`` (None: created or deleted)."""
    if old_state == new_state:
        return
    increments = {state: 0 for state in STATES}
    if old_state is not None:
        increments[old_state] -= 1
    if new_state is not None:
        increments[new_state] += 1
    increments["total"] = (new_state is not None) - (old_state is not None)
    upsert(dbsession, LabelCount, {"label": label}, {k: v for k, v in increments.items() if v})


def _daily_upsert(dialect: Any) -> PreparedWrite:
    statement = dialect.insert(DailyVotes.__table__)
    return PreparedWrite(statement.on_conflict_do_update(
        index_elements=["day"], set_={"votes": DailyVotes.__table__.c.votes + statement.excluded.votes}),
        ["day", "votes"])


DAILY_UPSERTS = {"sqlite": _daily_upsert(sqlite), "postgresql": _daily_upsert(postgresql)}


def count_votes(dbsession: Any, cast_at: list[datetime]) -> None:
    """Add votes cast at these moments to their UTC days, one row per day, in day order."""
    days = Counter(moment.astimezone(UTC).strftime("%Y-%m-%d") for moment in cast_at)
    upsert = DAILY_UPSERTS[dbsession.get_bind().dialect.name]
    for day, votes in sorted(days.items()):
        upsert.execute(dbsession, {"day": day, "votes": votes})


def uncount_votes(dbsession: Any, days: dict[str, int]) -> None:
    """Take reverted votes out of their days."""
    for day, count in days.items():
        dbsession.execute(update(DailyVotes).where(DailyVotes.day == day).values(votes=DailyVotes.votes - count))


def statistics(dbsession: Any, top: int = STATS_LABELS) -> dict[str, Any]:
    """Validate's statistics section: the ``top`` labels by subjects, and votes per day for 30 days."""
    rows = dbsession.scalars(select(LabelCount).where(LabelCount.total > 0)
                             .order_by(LabelCount.total.desc(), LabelCount.label).limit(top))
    since = (datetime.now(UTC) - timedelta(days=29)).strftime("%Y-%m-%d")
    days = dbsession.execute(select(DailyVotes.day, DailyVotes.votes).where(DailyVotes.day >= since)
                             .order_by(DailyVotes.day))
    return {"labels": [{"label": row.label, "verified": row.verified, "rejected": row.rejected,
                        "contested": row.contested, "open": row.unverified, "total": row.total} for row in rows],
            "votes_per_day": [{"day": day, "count": count} for day, count in days if count > 0]}
