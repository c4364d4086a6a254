"""The person counters (``imagemonkey.models.person``) recounted from the contribution log, for ``stats verify``."""
from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from ..db.functions import day_of
from ..models import Contribution, PersonDaily, PersonKindWeek, PersonLabel, PersonLabelWeek, PersonTotal, PersonWeek
from .person_counters import week_of
from .recount import StatCounter, table_counter


def _by_day(dbsession: Any) -> Any:
    day = day_of(Contribution.created_at)
    return dbsession.execute(select(Contribution.contributor_id, day, Contribution.kind, func.count())
                             .group_by(Contribution.contributor_id, day, Contribution.kind))


def _totals(dbsession: Any) -> Any:
    return dbsession.execute(select(Contribution.contributor_id, Contribution.kind, func.count())
                             .group_by(Contribution.contributor_id, Contribution.kind))


def _weeks(dbsession: Any) -> list[tuple[str, int, int]]:
    day = day_of(Contribution.created_at)
    weeks: Counter[tuple[str, int]] = Counter()
    for contributor_id, day_, count in dbsession.execute(
            select(Contribution.contributor_id, day, func.count()).group_by(Contribution.contributor_id, day)):
        weeks[(week_of(day_), contributor_id)] += count
    return [(week, contributor_id, count) for (week, contributor_id), count in weeks.items()]


def _kind_weeks(dbsession: Any) -> list[tuple[int, str, str, int]]:
    weeks: Counter[tuple[int, str, str]] = Counter()
    for contributor_id, day, kind, count in _by_day(dbsession):
        weeks[(contributor_id, week_of(day), kind)] += count
    return [(*key, count) for key, count in weeks.items()]


def _labels(dbsession: Any) -> Any:
    return dbsession.execute(select(Contribution.contributor_id, Contribution.label, func.count())
                             .where(Contribution.label.is_not(None))
                             .group_by(Contribution.contributor_id, Contribution.label))


def _label_weeks(dbsession: Any) -> list[tuple[int, str, str, int]]:
    day = day_of(Contribution.created_at)
    weeks: Counter[tuple[int, str, str]] = Counter()
    for contributor_id, day_, label, count in dbsession.execute(
            select(Contribution.contributor_id, day, Contribution.label, func.count())
            .where(Contribution.label.is_not(None)).group_by(Contribution.contributor_id, day, Contribution.label)):
        weeks[(contributor_id, week_of(day_), label)] += count
    return [(*key, count) for key, count in weeks.items()]


def person_counters() -> list[StatCounter]:
    """Core's person counters, each with its recount from the contribution log."""
    return [
        table_counter("core.person_daily", PersonDaily.__table__, ["contributor_id", "day", "kind"], ["count"],
                      _by_day),
        table_counter("core.person_total", PersonTotal.__table__, ["contributor_id", "kind"], ["count"], _totals),
        table_counter("core.person_week", PersonWeek.__table__, ["week", "contributor_id"], ["count"], _weeks),
        table_counter("core.person_kind_week", PersonKindWeek.__table__, ["contributor_id", "week", "kind"], ["count"],
                      _kind_weeks),
        table_counter("core.person_label", PersonLabel.__table__, ["contributor_id", "label"], ["count"], _labels),
        table_counter("core.person_label_week", PersonLabelWeek.__table__, ["contributor_id", "week", "label"],
                      ["count"], _label_weeks),
    ]
