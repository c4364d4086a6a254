"""Keeping each person's counters (``imagemonkey.models.person``) with every logged write.

Every write a contributor logs adds one to its day (by kind), its total (by kind), its ISO week (all kinds
and by kind) and, when the entry names a label, to that label's total and week. On PostgreSQL the upserts
ride in the log entry's own statement (:func:`person_ctes`); on SQLite they run one by one. A person's rows
are only ever written by that person's own requests, so they do not need ``stat_daily``'s shards.
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


ADD_KIND_WEEK = PreparedWrite(text(
    "INSERT INTO person_kind_week (contributor_id, week, kind, count) VALUES (:contributor_id, :week, :kind, 1) "
    "ON CONFLICT (contributor_id, week, kind) DO UPDATE SET count = person_kind_week.count + 1"),
    ["contributor_id", "week", "kind"])
ADD_LABEL = PreparedWrite(text(
    "INSERT INTO person_label (contributor_id, label, count) VALUES (:contributor_id, :label, 1) "
    "ON CONFLICT (contributor_id, label) DO UPDATE SET count = person_label.count + 1"),
    ["contributor_id", "label"])
ADD_LABEL_WEEK = PreparedWrite(text(
    "INSERT INTO person_label_week (contributor_id, week, label, count) VALUES (:contributor_id, :week, :label, 1) "
    "ON CONFLICT (contributor_id, week, label) DO UPDATE SET count = person_label_week.count + 1"),
    ["contributor_id", "week", "label"])


def week_of(day: str) -> str:
    """The Monday (``YYYY-MM-DD``) of the ISO week of ``day`` (``YYYY-MM-DD``)."""
    moment = date.fromisoformat(day)
    return (moment - timedelta(days=moment.weekday())).isoformat()


def count_person(dbsession: Any, contributor_id: int, kind: str, day: str, label: str | None = None) -> None:
    """One more write of ``kind`` by ``contributor_id`` on ``day``: its day, total, week and kind-week counters,
    and with ``label`` the label's total and week counters."""
    week = week_of(day)
    ADD_DAY.execute(dbsession, {"contributor_id": contributor_id, "day": day, "kind": kind})
    ADD_TOTAL.execute(dbsession, {"contributor_id": contributor_id, "kind": kind})
    ADD_WEEK.execute(dbsession, {"week": week, "contributor_id": contributor_id})
    ADD_KIND_WEEK.execute(dbsession, {"contributor_id": contributor_id, "week": week, "kind": kind})
    if label is not None:
        ADD_LABEL.execute(dbsession, {"contributor_id": contributor_id, "label": label})
        ADD_LABEL_WEEK.execute(dbsession, {"contributor_id": contributor_id, "week": week, "label": label})


def person_ctes() -> str:
    """PostgreSQL: :func:`count_person`'s upserts as CTEs (each ending with ``", "``) of the log statement (the
    label's only when ``:label`` is not NULL); parameters ``contributor_id``, ``kind``, ``day``, ``week``, ``label``."""
    return ("person_day AS (INSERT INTO person_daily (contributor_id, day, kind, count) "
            "VALUES (:contributor_id, :day, :kind, 1) ON CONFLICT (contributor_id, day, kind) "
            "DO UPDATE SET count = person_daily.count + 1), "
            "person_all AS (INSERT INTO person_total (contributor_id, kind, count) VALUES (:contributor_id, :kind, 1) "
            "ON CONFLICT (contributor_id, kind) DO UPDATE SET count = person_total.count + 1), "
            "person_wk AS (INSERT INTO person_week (week, contributor_id, count) VALUES (:week, :contributor_id, 1) "
            "ON CONFLICT (week, contributor_id) DO UPDATE SET count = person_week.count + 1), "
            "person_kwk AS (INSERT INTO person_kind_week (contributor_id, week, kind, count) "
            "VALUES (:contributor_id, :week, :kind, 1) ON CONFLICT (contributor_id, week, kind) "
            "DO UPDATE SET count = person_kind_week.count + 1), "
            "person_lb AS (INSERT INTO person_label (contributor_id, label, count) "
            "SELECT :contributor_id, CAST(:label AS VARCHAR), 1 WHERE CAST(:label AS VARCHAR) IS NOT NULL "
            "ON CONFLICT (contributor_id, label) DO UPDATE SET count = person_label.count + 1), "
            "person_lbw AS (INSERT INTO person_label_week (contributor_id, week, label, count) "
            "SELECT :contributor_id, :week, CAST(:label AS VARCHAR), 1 WHERE CAST(:label AS VARCHAR) IS NOT NULL "
            "ON CONFLICT (contributor_id, week, label) DO UPDATE SET count = person_label_week.count + 1), ")
