"""Core's own job: forget finished jobs after ``imagemonkey.jobs.keep_days``, so the table stays bounded."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from ..models import Job
from ..models.types import utcnow
from .context import JobContext
from .spec import JobSpec

BATCH = 1000


def read_keep_days(settings: dict[str, Any]) -> float:
    """``imagemonkey.jobs.keep_days``: days a finished job stays readable (default 30; 0 keeps them forever)."""
    raw = settings.get("imagemonkey.jobs.keep_days", "30")
    try:
        days = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"imagemonkey.jobs.keep_days must be a number of days, not {raw!r}") from None
    if days < 0:
        raise ValueError("imagemonkey.jobs.keep_days must not be negative")
    return days


def prune_jobs(ctx: JobContext) -> dict[str, int]:
    """Delete done and failed jobs that finished more than ``keep_days`` ago, a batch per transaction."""
    days = read_keep_days(ctx.registry.settings)
    if not days:
        return {"deleted": 0}
    cutoff = utcnow() - timedelta(days=days)
    deleted = 0
    while True:
        with ctx.request() as request:
            ids = list(request.dbsession.scalars(
                select(Job.id).where(Job.state.in_(("done", "failed")), Job.finished_at < cutoff)
                .order_by(Job.id).limit(BATCH)))
            if ids:
                request.dbsession.execute(delete(Job).where(Job.id.in_(ids)))
        deleted += len(ids)
        if len(ids) < BATCH:
            return {"deleted": deleted}


CORE_JOBS = [JobSpec("core.prune_jobs", prune_jobs, every_seconds=24 * 3600,
                     description="Forget finished jobs older than imagemonkey.jobs.keep_days (daily, 00:00 UTC).")]
