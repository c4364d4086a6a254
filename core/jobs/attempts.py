"""A run that did not finish: queue the job again while it has attempts left, else fail it and tell its plugin."""
from __future__ import annotations

import logging
from typing import Any

from . import store
from .context import JobContext
from .sender import send_now
from .spec import DEFAULT_MAX_ATTEMPTS
from .transient import with_retries

log = logging.getLogger(__name__)


def max_attempts(job_queue: Any, name: str) -> int:
    """How many runs job ``name`` gets (its spec's ``max_attempts``; the default for a job unknown here)."""
    spec = job_queue.specs.get(name)
    return spec.max_attempts if spec is not None else DEFAULT_MAX_ATTEMPTS


def give_up(job_queue: Any, job_id: int, error: str, attempt: int | None) -> bool:
    """Fail the job (attempt ``attempt``, or a queued one for None) with ``error``, then run its spec's
    ``on_failure``; False when the job was not in that state any more (another process moved it)."""
    engine = job_queue.registry["db_engine"]
    failed = with_retries(lambda: store.fail(engine, job_id, error, attempt=attempt), f"failing job {job_id}")
    if failed is None:
        return False
    name, params = failed
    spec = job_queue.specs.get(name)
    if spec is not None and spec.on_failure is not None:
        context = JobContext(str(job_id), job_queue.registry, params, attempt or 0)
        try:
            with_retries(lambda: spec.on_failure(context, error), f"on_failure of job {job_id}")
        except Exception:  # the job is failed all the same; its plugin's note is what is lost
            log.exception("on_failure of job %s (%s) failed", job_id, name)
    return True


def retry_or_give_up(job_queue: Any, job_id: int, name: str, attempt: int, error: str, *, delay: float = 0,
                     send: bool = True) -> str:
    """After attempt ``attempt`` ended with ``error``: queue the job again (its message sent after ``delay`` s, or
    left for the next start-up's re-send when not ``send``) while it has attempts left, else fail it.

    Returns ``"queued"``, ``"failed"`` or ``"moved"`` (another process already moved that run).
    """
    limit = max_attempts(job_queue, name)
    if attempt >= limit:
        reason = f"{error} (gave up after {attempt} attempt{'s' if attempt > 1 else ''})"
        return "failed" if give_up(job_queue, job_id, reason, attempt) else "moved"
    engine = job_queue.registry["db_engine"]
    message = f"attempt {attempt} of {limit} ended ({error[:300]}); queued again"
    if not with_retries(lambda: store.requeue(engine, job_id, attempt, message, delay), f"requeueing job {job_id}"):
        return "moved"
    if send:
        send_now(job_queue, [(job_id, delay)])
    return "queued"
