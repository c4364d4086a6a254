"""Leases: a process renews the leases of the jobs it runs; a lease that ran out means its process is gone.

Every process that consumes jobs (``imagemonkey serve`` with its consumer threads, ``imagemonkey
worker``) runs one :class:`LeaseKeeper` thread. Each tick it renews the leases of the jobs this
process runs (their rows' ``lease_until``), and looks for running jobs whose lease ended: their
process died (kill -9, a lost machine, an OOM kill) while they ran. Such a job is queued again and
its message sent, or failed once it has had its attempts (:mod:`.attempts`). Two keepers that see
the same lapsed job move it once: the move is fenced by the run's attempt number.
"""
from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from ..models.types import utcnow
from . import store
from .attempts import retry_or_give_up
from .spec import DEFAULT_LEASE_SECONDS
from .transient import with_retries

log = logging.getLogger(__name__)
#: Ticks come at least every few seconds, and at least four times per shortest lease.
LONGEST_TICK = 5.0
SHORTEST_TICK = 0.2


def lease_of(job_queue: Any, name: str) -> float:
    """The lease of job ``name`` in seconds (its spec's, or the default for a job unknown here)."""
    spec = job_queue.specs.get(name)
    return float(spec.lease_seconds) if spec is not None else DEFAULT_LEASE_SECONDS


def renew_leases(job_queue: Any) -> int:
    """Extend the leases of the jobs this process runs; returns how many."""
    now = utcnow()
    running = job_queue.running_now()
    leases = [(job_id, attempt, now + timedelta(seconds=lease_of(job_queue, name)))
              for job_id, (name, attempt) in running.items()]
    engine = job_queue.registry["db_engine"]
    with_retries(lambda: store.renew(engine, leases), "renewing job leases")
    return len(leases)


def recover_lapsed(job_queue: Any) -> dict[str, int]:
    """Queue again (or fail, after their attempts) the running jobs whose lease ended; returns counts by outcome."""
    engine = job_queue.registry["db_engine"]
    mine = job_queue.running_now()
    outcomes = {"queued": 0, "failed": 0, "moved": 0}
    for job in with_retries(lambda: store.lapsed(engine, utcnow()), "reading lapsed jobs"):
        if mine.get(job.id, (None, None))[1] == job.attempt:
            continue  # running here: a renewal came late (the next tick renews it)
        error = (f"LeaseExpired: the process running attempt {job.attempt} stopped renewing its lease "
                 f"(it died or lost the database)")
        outcome = retry_or_give_up(job_queue, job.id, job.name, job.attempt, error)
        outcomes[outcome] += 1
        if outcome != "moved":
            log.warning("job %s (%s): %s; %s", job.id, job.name, error, outcome)
    return outcomes


class LeaseKeeper:
    """The thread that renews this process's leases and recovers lapsed jobs (see the module docs)."""

    def __init__(self, job_queue: Any):
        self.job_queue = job_queue
        shortest = min([lease_of(job_queue, name) for name in job_queue.specs] or [DEFAULT_LEASE_SECONDS])
        self.interval = max(SHORTEST_TICK, min(LONGEST_TICK, shortest / 4))
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="imagemonkey-job-leases", daemon=True)

    def start(self) -> LeaseKeeper:
        """Start ticking; returns itself."""
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop ticking (the leases of jobs still running here run out unless renewed elsewhere)."""
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def tick(self) -> None:
        """One renewal and one look for lapsed jobs."""
        renew_leases(self.job_queue)
        recover_lapsed(self.job_queue)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.tick()
            except Exception:  # the database is away: the next tick tries again
                log.exception("renewing job leases failed")
            self.stopping.wait(self.interval)
