"""Running huey's own consumer: threads inside ``imagemonkey serve``, or ``imagemonkey worker``'s main loop."""
from __future__ import annotations

import logging
from typing import Any

from huey.consumer import Consumer

from .queue import JobQueue

log = logging.getLogger(__name__)

#: Polling of a non-blocking queue (SQLite): 50 ms after work, backing off to once a second when idle.
#: huey's default backs off to 10 s, which would leave a job waiting up to 10 s on a quiet server.
POLLING = {"initial_delay": 0.05, "backoff": 1.15, "max_delay": 1.0}


class EmbeddedConsumer(Consumer):
    """huey's consumer started from another program (waitress): signals stay with that program."""

    def _set_signal_handlers(self) -> None:
        """Leave SIGINT/SIGTERM to the host; it calls :func:`stop_embedded_consumer`."""


def make_consumer(queue: JobQueue, workers: int, *, periodic: bool = True, embedded: bool = False,
                  shutdown_timeout: float | None = None) -> Consumer:
    """huey's consumer with ``workers`` threads for ``queue``."""
    kind = EmbeddedConsumer if embedded else Consumer
    return kind(queue.huey, workers=workers, periodic=periodic, worker_type="thread",
                shutdown_timeout=shutdown_timeout, **POLLING)


def start_embedded_consumer(queue: JobQueue) -> Consumer | None:
    """Start ``imagemonkey.jobs.workers`` consumer threads when the queue is the embedded SQLite one."""
    if not queue.embedded or queue.workers == 0:
        return None
    consumer = make_consumer(queue, queue.workers, embedded=True, shutdown_timeout=5.0)
    consumer.start()
    return consumer


def stop_embedded_consumer(queue: JobQueue, consumer: Any) -> None:
    """Stop taking jobs, give running ones the consumer's shutdown timeout, then fail the ones still running."""
    consumer.stop(graceful=True)
    abandoned = queue.abandon_running("the server stopped while the job ran")
    if abandoned:
        log.warning("jobs %s were still running at shutdown and are recorded as failed", abandoned)
