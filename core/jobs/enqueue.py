"""``enqueue_job``: a row in the ``job`` table, then one huey message once that row is committed."""
from __future__ import annotations

from typing import Any

from pyramid.registry import Registry

from ..db import after_commit
from ..models import Job
from ..scripting import app_request
from . import store
from .queue import job_queue


def insert_job(registry: Any, name: str, params: dict[str, Any], created_by: int | None = None) -> int:
    """A queued job row in a transaction of its own; returns its id."""
    with app_request(registry) as request:
        return _add_row(request, name, params, created_by)


def _add_row(request: Any, name: str, params: dict[str, Any], created_by: int | None) -> int:
    job = Job(name=name, state="queued", progress=0.0, params=params, created_by=created_by)
    request.dbsession.add(job)
    request.dbsession.flush()  # a flush marks the request's transaction as written
    return job.id


def enqueue_job(request_or_registry: Any, name: str, *, delay: float = 0, **params: Any) -> str:
    """Queue job ``name`` with JSON ``params``; returns the job's id.

    With a request, the row is written in the request's transaction and the message is
    sent after it commits (so the job sees the request's data; nothing runs if it rolls
    back); the request's contributor is the job's creator. With a registry, the row is
    committed at once in its own transaction. ``delay`` (seconds) postpones the run.

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
        job_id = insert_job(registry, name, params)
        queue.send(job_id, delay)
        return str(job_id)
    request = request_or_registry
    contributor = getattr(request, "contributor", None)
    job_id = _add_row(request, name, params, contributor.id if contributor is not None else None)
    after_commit(request, lambda: queue.send(job_id, delay))
    return str(job_id)
