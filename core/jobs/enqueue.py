"""``enqueue_job``: a row in the ``job`` table, then one huey message once that row is committed."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pyramid.registry import Registry
from sqlalchemy import insert

from ..db import after_commit
from ..db.prepared import PreparedWrite
from ..models import Job
from ..models.types import utcnow
from ..scripting import app_request
from . import store
from .queue import job_queue
from .sender import send_now


def insert_job(registry: Any, name: str, params: dict[str, Any], created_by: int | None = None,
               delay: float = 0) -> int:
    """A queued job row in a transaction of its own; returns its id."""
    with app_request(registry) as request:
        return _add_row(request, name, params, created_by, delay)


INSERT_JOB = PreparedWrite(insert(Job).returning(Job.id),
                           ["name", "state", "progress", "params", "created_by", "enqueued_at", "due_at"])


def _add_row(request: Any, name: str, params: dict[str, Any], created_by: int | None, delay: float = 0) -> int:
    """The row in the request's transaction: one prepared INSERT (a hot path: every screened donation)."""
    if request.dbsession.new:  # the row may refer to them (created_by): the INSERT goes straight to the connection
        request.dbsession.flush()
    now = utcnow()
    rows = INSERT_JOB.execute(request.dbsession, {
        "name": name, "state": "queued", "progress": 0.0, "params": params, "created_by": created_by,
        "enqueued_at": now, "due_at": now + timedelta(seconds=delay) if delay else None})
    return int(rows[0][0])


def enqueue_job(request_or_registry: Any, name: str, *, delay: float = 0, **params: Any) -> str:
    """Queue job ``name`` with JSON ``params``; returns the job's id.

    With a request, the row is written in the request's transaction and, once it commits,
    the process's sender thread sends the message (so the job sees the request's data,
    nothing runs if it rolls back, and the request does not wait on the queue); the
    request's contributor is the job's creator. With a registry, the row is committed at
    once in its own transaction and the message sent before this returns. ``delay``
    (seconds) postpones the run.

    :raises ValueError: ``name`` is not a registered job, or ``delay`` is negative
    :raises TypeError: ``params`` are not JSON values
    """
    is_registry = isinstance(request_or_registry, Registry)
    registry = request_or_registry if is_registry else request_or_registry.registry
    queue = job_queue(registry)
    if name not in queue.specs:
        raise ValueError(f"unknown job {name!r}; registered jobs: {', '.join(sorted(queue.specs)) or 'none'}")
    if delay < 0:
        raise ValueError("delay must not be negative")
    store.json_value(params)
    if is_registry:
        job_id = insert_job(registry, name, params, delay=delay)
        send_now(queue, [(job_id, delay)])
        return str(job_id)
    request = request_or_registry
    contributor = getattr(request, "contributor", None)
    job_id = _add_row(request, name, params, contributor.id if contributor is not None else None, delay)
    after_commit(request, lambda: queue.dispatch(job_id, delay))
    return str(job_id)
