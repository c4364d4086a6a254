"""Transient database errors in jobs: which errors pass if simply tried again, and trying again with backoff.

A deadlock, a serialization failure, a dropped connection (marked retryable by the engine's
``handle_error`` listener, :func:`imagemonkey.db.engine.mark_retryable`) and SQLite's "database is
locked" or "busy" (another process held the write lock past the busy timeout, or wrote since this
transaction's snapshot) are transient: the same work succeeds a moment later. A job that fails with
one is queued again after a backoff (:func:`retry_delay`) while it has attempts left; the job rows'
own short transactions are simply tried again in place (:func:`with_retries`).
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from pyramid_retry import IRetryableError

log = logging.getLogger(__name__)
T = TypeVar("T")

#: In-place retries of a job row's own transaction: about 0.05 s, doubling, jittered; 8 tries span ~12 s.
ROW_TRIES = 8
ROW_FIRST_DELAY = 0.05
#: A job queued again after a transient error waits 2 s, then 4, 8, ... (jittered), at most a minute.
JOB_FIRST_DELAY = 2.0
JOB_MAX_DELAY = 60.0
SQLITE_BUSY, SQLITE_LOCKED = 5, 6


def is_transient(exc: BaseException) -> bool:
    """True when ``exc`` (or an error it was raised from) is a database error that passes if tried again."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if IRetryableError.providedBy(current):
            return True
        code = getattr(current, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def retry_delay(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1`` of a job whose attempt ``attempt`` met a transient error."""
    base = min(JOB_MAX_DELAY, JOB_FIRST_DELAY * 2 ** max(0, attempt - 1))
    return base * random.uniform(0.75, 1.25)


def with_retries(action: Callable[[], T], what: str) -> T:
    """Run ``action`` (one short transaction of its own), again after a transient error, up to :data:`ROW_TRIES`."""
    delay = ROW_FIRST_DELAY
    for tried in range(1, ROW_TRIES + 1):
        try:
            return action()
        except Exception as exc:
            if tried == ROW_TRIES or not is_transient(exc):
                raise
            log.warning("%s met a transient database error (%s); trying again", what, type(exc).__name__)
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay *= 2
    raise AssertionError("unreachable")
