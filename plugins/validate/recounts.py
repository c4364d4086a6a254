"""Validate's subject counters recounted from its subjects, for ``imagemonkey stats verify``.

Votes per day (``validate_daily_votes``) are not recounted: they count every vote when it was first
cast, including votes deleted since (a subject whose label changed starts over), which no table keeps.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import StatCounter, sharded_counter

from .consensus import STATES
from .models import LabelCount, Subject

COLUMNS = [*STATES, "total"]


def _label_states(dbsession: Any) -> list[tuple[Any, ...]]:
    """``(label, unverified, verified, rejected, contested, total)`` from the subjects."""
    rows: dict[str, dict[str, int]] = {}
    for label, state, count in dbsession.execute(select(Subject.label, Subject.state, func.count())
                                                 .group_by(Subject.label, Subject.state)):
        row = rows.setdefault(label, dict.fromkeys(COLUMNS, 0))
        row[state] += count
        row["total"] += count
    return [(label, *(row[column] for column in COLUMNS)) for label, row in rows.items()]


def recounts() -> list[StatCounter]:
    """Validate's counters, each with its recount."""
    return [sharded_counter("validate.label_states", LabelCount.__table__, ["label"], COLUMNS, _label_states)]
