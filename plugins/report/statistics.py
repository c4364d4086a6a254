"""The report section of ``GET /api/v1/statistics``: bounded to the last 30 days."""
from __future__ import annotations

import statistics as stats
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import day_of, utcnow

from .models import Decision, QueueItem, Report
from .queue import queue_length

DAYS = 30
DECISIONS_SAMPLED = 2000


def report_statistics(dbsession: Any) -> dict[str, Any]:
    """Reports per day by reason, queue length, median time to a decision, screening hits per day."""
    since = utcnow() - timedelta(days=DAYS)
    per_day: dict[str, dict[str, int]] = {}
    report_day = day_of(Report.created_at)  # one expression object, so GROUP BY matches the select on PostgreSQL
    for day, reason, count in dbsession.execute(
            select(report_day, Report.reason, func.count()).where(Report.created_at >= since)
            .group_by(report_day, Report.reason)):
        per_day.setdefault(day, {})[reason] = count
    waits = list(dbsession.scalars(select(Decision.waited_seconds).where(
        Decision.created_at >= since, Decision.waited_seconds.is_not(None))
        .order_by(Decision.created_at.desc()).limit(DECISIONS_SAMPLED)))
    hit_day = day_of(QueueItem.screened_at)
    hits = dict(dbsession.execute(
        select(hit_day, func.count()).where(QueueItem.screened_at >= since, QueueItem.screening_hit.is_(True))
        .group_by(hit_day)).all())
    return {"reports_per_day": [{"day": day, "reasons": per_day[day]} for day in sorted(per_day)],
            "queue_length": queue_length(dbsession),
            "median_seconds_to_decision": round(stats.median(waits), 1) if waits else None,
            "screening_hits_per_day": [{"day": day, "hits": hits[day]} for day in sorted(hits)]}
