"""The plugin's jobs: building a release, building a takedown revision, and the scheduled release check."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import JobContext, JobSpec, app_request, get_setting

from .add_format import add_format
from .build import build_release, revise_release
from .models import Release
from .releases import create_release

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def build_job(ctx: JobContext, release_id: int) -> dict[str, Any]:
    """``datasets.build``: build release ``release_id``."""
    return build_release(ctx.registry, release_id, ctx.progress)


def revise_job(ctx: JobContext, release_id: int, reasons: dict[str, int]) -> dict[str, Any]:
    """``datasets.revise``: build the takedown revision ``release_id``."""
    return revise_release(ctx.registry, release_id, reasons, ctx.progress)


def add_format_job(ctx: JobContext, release_id: int, format: str) -> dict[str, Any]:  # noqa: A002
    """``datasets.add_format``: write one more format of a ready release."""
    return add_format(ctx.registry, release_id, format, ctx.progress)


def due(schedule: str, last: datetime | None, now: datetime) -> bool:
    """Whether a scheduled release is due: none yet, or the last is a period old (monthly: a new calendar month)."""
    if schedule == "off":
        return False
    if last is None:
        return True
    if schedule == "monthly":
        return (last.year, last.month) != (now.year, now.month)
    return now - last >= PERIODS[schedule]


def scheduled_job(ctx: JobContext) -> dict[str, Any]:
    """``datasets.scheduled`` (hourly): build a release of the public dataset when ``datasets.schedule`` says so."""
    schedule = get_setting(ctx.registry, "datasets.schedule")
    with app_request(ctx.registry) as request:
        last = request.dbsession.scalar(select(Release.created_at).where(Release.revision == 1, Release.query.is_(None))
                                        .order_by(Release.id.desc()).limit(1))
        if not due(schedule, last, datetime.now(UTC)):
            return {"built": None}
        release = create_release(request)
        release.job_id = ctx.job_id
        release_id, version = release.id, release.version
    build_release(ctx.registry, release_id, ctx.progress)
    return {"built": version}


SPECS = [
    JobSpec("datasets.build", build_job, description="Build a dataset release"),
    JobSpec("datasets.revise", revise_job, description="Build a release's revision without images taken down"),
    JobSpec("datasets.add_format", add_format_job, description="Add a format to a ready release"),
    JobSpec("datasets.scheduled", scheduled_job, every_seconds=3600,
            description="Build a release when datasets.schedule says one is due"),
]
