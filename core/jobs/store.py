"""The job rows, written in short transactions of their own so HTTP readers see them at once."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select, update

from ..models import Job
from ..models.types import isoformat, utcnow

MAX_ERROR_LENGTH = 4000
MAX_MESSAGE_LENGTH = 512


def claim(engine: Engine, job_id: int) -> tuple[str, dict[str, Any]] | None:
    """Mark a queued job running; returns ``(name, params)``, or None when it is not queued (done, missing)."""
    with engine.begin() as connection:
        changed = connection.execute(update(Job).where(Job.id == job_id, Job.state == "queued")
                                     .values(state="running", started_at=utcnow()))
        if changed.rowcount != 1:
            return None
        row = connection.execute(select(Job.name, Job.params).where(Job.id == job_id)).one()
    return row.name, dict(row.params or {})


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


def finish(engine: Engine, job_id: int, result: Any) -> None:
    """Record a job that returned ``result``."""
    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id)
                           .values(state="done", progress=1.0, result=result, finished_at=utcnow()))


def fail(engine: Engine, job_id: int, error: str, *, only_if: tuple[str, ...] = ("queued", "running")) -> None:
    """Record a job that failed with ``error`` (``"ExceptionType: message"``)."""
    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id, Job.state.in_(only_if))
                           .values(state="failed", error=error[:MAX_ERROR_LENGTH], finished_at=utcnow()))


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
    """The JSON of a job row (ORM object or Core row); ``kind`` repeats ``name`` (the API design's field name)."""
    return {"id": str(job.id), "name": job.name, "kind": job.name, "state": job.state, "progress": job.progress,
            "message": job.message, "error": job.error, "params": job.params, "result": job.result,
            "created_by": str(job.created_by) if job.created_by is not None else None,
            "enqueued_at": isoformat(job.enqueued_at), "started_at": isoformat(job.started_at),
            "finished_at": isoformat(job.finished_at)}
