"""Running huey's own consumer: threads inside ``imagemonkey serve``, or ``imagemonkey worker``'s main loop."""
from __future__ import annotations

import logging
import threading
from typing import Any

from huey.consumer import Consumer, Worker

from .lease import LeaseKeeper
from .queue import JobQueue

log = logging.getLogger(__name__)

#: Polling of a non-blocking queue (SQLite): 50 ms after work, backing off to once a second when idle.
#: huey's default backs off to 10 s, which would leave a job queued by another process (a CLI command)
#: waiting up to 10 s on a quiet server; jobs queued by the server itself wake the workers at once.
POLLING = {"initial_delay": 0.05, "backoff": 1.15, "max_delay": 1.0}


class WakeableWorker(Worker):
    """huey's worker, woken at once by a job queued in this process instead of at its next poll."""

    wakeup: threading.Event

    def sleep(self) -> None:
        """Wait for the next poll as huey does, unless :attr:`wakeup` is set first."""
        self.delay = min(self.delay, self.max_delay)
        if self.wakeup.wait(self.delay):
            self.wakeup.clear()
            self.delay = self.default_delay
            return
        self.delay *= self.backoff


class EmbeddedConsumer(Consumer):
    """huey's consumer started from another program (waitress): signals stay with that program.

    Its workers wake as soon as this process queues a job (``JobQueue.wakeup``); jobs queued
    by other processes (CLI commands) are found by polling.
    """

    worker_class = WakeableWorker

    def __init__(self, huey: Any, wakeup: threading.Event, **options: Any):
        self.wakeup = wakeup
        super().__init__(huey, **options)

    def _create_worker(self) -> Worker:
        worker = super()._create_worker()
        worker.wakeup = self.wakeup
        return worker

    def _set_signal_handlers(self) -> None:
        """Leave SIGINT/SIGTERM to the host; it calls :func:`stop_embedded_consumer`."""


def make_consumer(queue: JobQueue, workers: int, *, periodic: bool = True, embedded: bool = False,
                  shutdown_timeout: float | None = None) -> Consumer:
    """huey's consumer with ``workers`` threads for ``queue`` (``embedded``: inside another program)."""
    options = dict(workers=workers, periodic=periodic, worker_type="thread", shutdown_timeout=shutdown_timeout,
                   **POLLING)
    if embedded:
        return EmbeddedConsumer(queue.huey, queue.wakeup, **options)
    return Consumer(queue.huey, **options)


def start_embedded_consumer(queue: JobQueue) -> Consumer | None:
    """Start ``imagemonkey.jobs.workers`` consumer threads, and the lease keeper, when the queue is the embedded
    SQLite one."""
    if not queue.embedded or queue.workers == 0:
        return None
    consumer = make_consumer(queue, queue.workers, embedded=True, shutdown_timeout=5.0)
    consumer.keeper = LeaseKeeper(queue).start()  # recovers the jobs a killed server left running
    consumer.start()
    return consumer


def stop_embedded_consumer(queue: JobQueue, consumer: Any) -> None:
    """Stop taking jobs, give running ones the consumer's shutdown timeout, then queue again the ones still running
    (or fail those out of attempts)."""
    consumer.stop_flag.set()
    queue.wakeup.set()  # idle workers see the stop flag now rather than at their next poll
    consumer.stop(graceful=True)
    consumer.keeper.stop()
    released = queue.release_running("the server stopped while the job ran")
    if released:
        log.warning("jobs %s were still running at shutdown; they run again at the next start", released)
