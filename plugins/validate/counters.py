"""Counters kept with every change: subjects per label and state, votes per day (statistics never scan).

Both tables keep a row per key and ``shard``: every write adds to the shard of its database connection
(``counter_shard``), so concurrent votes (of one process or several) never wait on one another's counter row;
readers sum the shards.
"""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from imagemonkey.plugin import PreparedWrite, chart, counter_shard, last_days

from .consensus import STATES
from .models import DailyVotes, LabelCount

STATS_LABELS = 50
CHART_LABELS = 15
NEEDS_WORK = 10


def upsert(dbsession: Any, model: Any, key: dict[str, Any], increments: dict[str, Any]) -> None:
    """``INSERT ... ON CONFLICT DO UPDATE`` adding ``increments`` to one row (SQLite and PostgreSQL)."""
    upsert_many(dbsession, model, list(key), [{**key, **increments}])


def _dialect(dbsession: Any) -> Any:
    return postgresql if dbsession.get_bind().dialect.name == "postgresql" else sqlite


@lru_cache(maxsize=64)
def _adding_upsert(dialect: Any, table: Any, keys: tuple[str, ...], values: tuple[str, ...]) -> PreparedWrite:
    """Built and compiled once per shape: building a statement costs more than running it."""
    statement = dialect.insert(table)
    return PreparedWrite(statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in values}),
        [*keys, *values])


def upsert_many(dbsession: Any, model: Any, keys: list[str], rows: list[dict[str, Any]]) -> None:
    """Add each row's non-key values to the stored row with the same key (created when missing), in one
    ``executemany``."""
    if not rows:
        return
    values = tuple(name for name in rows[0] if name not in keys)
    _adding_upsert(_dialect(dbsession), model.__table__, tuple(keys), values).execute_many(dbsession, rows)


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
    upsert(dbsession, LabelCount, {"label": label, "shard": counter_shard(dbsession)},
           {k: v for k, v in increments.items() if v})


def _daily_upsert(dialect: Any) -> PreparedWrite:
    statement = dialect.insert(DailyVotes.__table__)
    return PreparedWrite(statement.on_conflict_do_update(
        index_elements=["day", "shard"], set_={"votes": DailyVotes.__table__.c.votes + statement.excluded.votes}),
        ["day", "shard", "votes"])


DAILY_UPSERTS = {"sqlite": _daily_upsert(sqlite), "postgresql": _daily_upsert(postgresql)}


def count_votes(dbsession: Any, cast_at: list[datetime]) -> None:
    """Add votes cast at these moments to their UTC days, one row per day, in day order."""
    days = Counter(moment.astimezone(UTC).strftime("%Y-%m-%d") for moment in cast_at)
    _add_votes(dbsession, days)


def uncount_votes(dbsession: Any, days: dict[str, int]) -> None:
    """Take reverted votes out of their days."""
    _add_votes(dbsession, {day: -count for day, count in days.items()})


def _add_votes(dbsession: Any, days: dict[str, int]) -> None:
    """Add (or, negative, take) votes to their days in the connection's shard, one row per day, in day order."""
    upsert, shard = DAILY_UPSERTS[dbsession.get_bind().dialect.name], counter_shard(dbsession)
    for day, votes in sorted(days.items()):
        upsert.execute(dbsession, {"day": day, "shard": shard, "votes": votes})


def label_counts(dbsession: Any, top: int) -> list[Any]:
    """The ``top`` labels by subjects (summed over their shards), most first: rows with the columns of
    :class:`.models.LabelCount` but ``shard``."""
    total = func.sum(LabelCount.total).label("total")
    sums = [func.sum(getattr(LabelCount, state)).label(state) for state in STATES]
    return list(dbsession.execute(select(LabelCount.label, *sums, total).group_by(LabelCount.label)
                                  .having(total > 0).order_by(total.desc(), LabelCount.label).limit(top)))


def statistics(request: Any, top: int = STATS_LABELS) -> dict[str, Any]:
    """Validate's statistics section from its counters: labels by state, votes per day, labels needing votes."""
    dbsession = request.dbsession
    rows = label_counts(dbsession, top)
    calendar = last_days()
    counted = dict(dbsession.execute(select(DailyVotes.day, func.sum(DailyVotes.votes))
                                     .where(DailyVotes.day >= calendar[0]).group_by(DailyVotes.day)).all())
    votes = [counted.get(day, 0) for day in calendar]
    shown = rows[:CHART_LABELS]
    open_most = sorted(rows, key=lambda row: (-row.unverified, row.label))[:NEEDS_WORK]
    base = request.route_path("validate.page")
    return {"labels": [{"label": row.label, "verified": row.verified, "rejected": row.rejected,
                        "contested": row.contested, "open": row.unverified, "total": row.total} for row in rows],
            "votes_per_day": [{"day": day, "count": count} for day, count in zip(calendar, votes, strict=True)
                              if count > 0],
            "charts": [
                chart("votes", "Votes per day", "line", calendar, {"votes": votes}),
                chart("verified", "Labels by images, with their verified share", "bar",
                      [row.label for row in shown],
                      {state: [getattr(row, field) for row in shown] for state, field in
                       (("verified", "verified"), ("open", "unverified"), ("contested", "contested"),
                        ("rejected", "rejected"))}, stacked=True)],
            "work": {"title": "Labels with the most left to check (labels and outlines)", "items": [
                {"label": row.label, "text": f"{row.unverified} of {row.total} still to check",
                 "href": f"{base}?label={row.label}"} for row in open_most if row.unverified]}}
