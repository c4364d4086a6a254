"""Keeping each person's counters (``imagemonkey.models.person``) with every logged write, and reading them.

Every write a contributor logs adds one to its day (by kind), its total (by kind) and its ISO week. On
PostgreSQL the three upserts ride in the log entry's own statement (:func:`person_ctes`); on SQLite they
run one by one. A person's rows are only ever written by that person's own requests, so they do not
need ``stat_daily``'s shards.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from ..db.prepared import PreparedWrite

ADD_DAY = PreparedWrite(text(
    "INSERT INTO person_daily (contributor_id, day, kind, count) VALUES (:contributor_id, :day, :kind, 1) "
    "ON CONFLICT (contributor_id, day, kind) DO UPDATE SET count = person_daily.count + 1"),
    ["contributor_id", "day", "kind"])
ADD_TOTAL = PreparedWrite(text(
    "INSERT INTO person_total (contributor_id, kind, count) VALUES (:contributor_id, :kind, 1) "
    "ON CONFLICT (contributor_id, kind) DO UPDATE SET count = person_total.count + 1"),
    ["contributor_id", "kind"])
ADD_WEEK = PreparedWrite(text(
    "INSERT INTO person_week (week, contributor_id, count) VALUES (:week, :contributor_id, 1) "
    "ON CONFLICT (week, contributor_id) DO UPDATE SET count = person_week.count + 1"),
    ["week", "contributor_id"])


def week_of(day: str) -> str:
    """The Monday (``YYYY-MM-DD``) of the ISO week of ``day`` (``YYYY-MM-DD``)."""
    moment = date.fromisoformat(day)
    return (moment - timedelta(days=moment.weekday())).isoformat()


def count_person(dbsession: Any, contributor_id: int, kind: str, day: str) -> None:
    """One more write of ``kind`` by ``contributor_id`` on ``day``: its day, total and week counters."""
    ADD_DAY.execute(dbsession, {"contributor_id": contributor_id, "day": day, "kind": kind})
    ADD_TOTAL.execute(dbsession, {"contributor_id": contributor_id, "kind": kind})
    ADD_WEEK.execute(dbsession, {"week": week_of(day), "contributor_id": contributor_id})


def person_ctes() -> str:
    """PostgreSQL: :func:`count_person`'s three upserts as CTEs (each ending with ``", "``) of the log statement;
    parameters ``contributor_id``, ``kind``, ``day``, ``week``."""
    return ("person_day AS (INSERT INTO person_daily (contributor_id, day, kind, count) "
            "VALUES (:contributor_id, :day, :kind, 1) ON CONFLICT (contributor_id, day, kind) "
            "DO UPDATE SET count = person_daily.count + 1), "
            "person_all AS (INSERT INTO person_total (contributor_id, kind, count) VALUES (:contributor_id, :kind, 1) "
            "ON CONFLICT (contributor_id, kind) DO UPDATE SET count = person_total.count + 1), "
            "person_wk AS (INSERT INTO person_week (week, contributor_id, count) VALUES (:week, :contributor_id, 1) "
            "ON CONFLICT (week, contributor_id) DO UPDATE SET count = person_week.count + 1), ")
