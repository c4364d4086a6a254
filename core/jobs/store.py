"""The job rows, written in short transactions of their own so HTTP readers see them at once.

A run is fenced by its attempt number: a process whose lease ran out (its job was queued again
and perhaps claimed by another process) can no longer finish, fail or renew that job.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Engine, or_, select, update

from ..models import Job
from ..models.types import isoformat, utcnow

MAX_ERROR_LENGTH = 4000
MAX_MESSAGE_LENGTH = 512


class Claim(NamedTuple):
    """A job this process now runs: its name, params and attempt number (1 for the first run)."""

    name: str
    params: dict[str, Any]
    attempt: int


def claim(engine: Engine, job_id: int, lease_of: Callable[[str], float]) -> Claim | None:
    """Mark a queued job running with a lease of ``lease_of(name)`` seconds and one more attempt; None when it is
    not queued (done, running elsewhere, missing)."""
    with engine.begin() as connection:
        row = connection.execute(select(Job.name, Job.params, Job.attempts)
                                 .where(Job.id == job_id, Job.state == "queued")).first()
        if row is None:
            return None
        now = utcnow()
        changed = connection.execute(
            update(Job).where(Job.id == job_id, Job.state == "queued", Job.attempts == row.attempts)
            .values(state="running", started_at=now, attempts=row.attempts + 1,
                    lease_until=now + timedelta(seconds=lease_of(row.name))))
        if changed.rowcount != 1:
            return None
    return Claim(row.name, dict(row.params or {}), row.attempts + 1)


def renew(engine: Engine, leases: list[tuple[int, int, datetime]]) -> None:
    """Extend the leases ``(job id, attempt, new end)`` of jobs this process still runs, in one transaction."""
    if leases:
        with engine.begin() as connection:
            for job_id, attempt, until in leases:
                connection.execute(update(Job).where(Job.id == job_id, Job.state == "running",
                                                     Job.attempts == attempt).values(lease_until=until))


class Lapsed(NamedTuple):
    """A running job whose lease ended: its process stopped renewing it."""

    id: int
    name: str
    params: dict[str, Any]
    attempt: int


def lapsed(engine: Engine, now: datetime) -> list[Lapsed]:
    """Running jobs whose lease ended before ``now``."""
    with engine.connect() as connection:
        rows = connection.execute(select(Job.id, Job.name, Job.params, Job.attempts).where(
            Job.state == "running", or_(Job.lease_until < now, Job.lease_until.is_(None))).order_by(Job.id))
        return [Lapsed(row.id, row.name, dict(row.params or {}), row.attempts) for row in rows]


def requeue(engine: Engine, job_id: int, attempt: int, message: str, delay: float = 0) -> bool:
    """Put attempt ``attempt`` of a running job back in the queue (its message to be sent by the caller, or again
    at start-up); False when that run is no longer the job's current one."""
    now = utcnow()
    with engine.begin() as connection:
        changed = connection.execute(
            update(Job).where(Job.id == job_id, Job.state == "running", Job.attempts == attempt)
            .values(state="queued", lease_until=None, sent_at=None, message=message[:MAX_MESSAGE_LENGTH],
                    due_at=now + timedelta(seconds=delay) if delay else None))
        return changed.rowcount == 1


def mark_sent(engine: Engine, job_ids: list[int]) -> None:
    """Record that the huey messages of ``job_ids`` were sent (so start-up does not send them again)."""
    if job_ids:
        with engine.begin() as connection:
            connection.execute(update(Job).where(Job.id.in_(job_ids)).values(sent_at=utcnow()))


def set_progress(engine: Engine, job_id: int, fraction: float, message: str | None) -> None:
    """Store the progress (0..1) and message of a running job."""
    values: dict[str, Any] = {"progress": fraction}
    if message is not None:
        values["message"] = message[:MAX_MESSAGE_LENGTH]
    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id, Job.state == "running").values(**values))


def finish(engine: Engine, job_id: int, attempt: int, result: Any) -> bool:
    """Record that attempt ``attempt`` returned ``result``; False when that run is no longer the job's current one."""
    with engine.begin() as connection:
        changed = connection.execute(
            update(Job).where(Job.id == job_id, Job.state == "running", Job.attempts == attempt)
            .values(state="done", progress=1.0, result=result, finished_at=utcnow(), lease_until=None))
        return changed.rowcount == 1


def fail(engine: Engine, job_id: int, error: str, *, attempt: int | None = None) -> tuple[str, dict[str, Any]] | None:
    """Record that a queued job, or attempt ``attempt`` of a running one, failed with ``error`` (``"ExceptionType:
    message"``); returns the job's ``(name, params)``, or None when it was not in that state."""
    if attempt is None:
        which = Job.state == "queued"
    else:
        which = (Job.state == "running") & (Job.attempts == attempt)
    with engine.begin() as connection:
        row = connection.execute(select(Job.name, Job.params).where(Job.id == job_id, which)).first()
        if row is None:
            return None
        changed = connection.execute(update(Job).where(Job.id == job_id, which).values(
            state="failed", error=error[:MAX_ERROR_LENGTH], finished_at=utcnow(), lease_until=None))
        return (row.name, dict(row.params or {})) if changed.rowcount == 1 else None


def describe_error(exc: BaseException) -> str:
    """``"ValueError: the message"``, the error stored on a failed job."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def json_value(value: Any) -> Any:
    """``value`` if JSON can store it, else a TypeError that says so."""
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"a job's params and result must be JSON values: {exc}") from None
    return value


def job_json(job: Any) -> dict[str, Any]:
    """The JSON of a job row (ORM object or Core row); ``kind`` repeats ``name`` (the API design's field name);
    ``attempts`` counts the runs started (more than one: a run was lost or met a transient error)."""
    return {"id": str(job.id), "name": job.name, "kind": job.name, "state": job.state, "progress": job.progress,
            "message": job.message, "error": job.error, "params": job.params, "result": job.result,
            "attempts": job.attempts,
            "created_by": str(job.created_by) if job.created_by is not None else None,
            "enqueued_at": isoformat(job.enqueued_at), "started_at": isoformat(job.started_at),
            "finished_at": isoformat(job.finished_at)}
