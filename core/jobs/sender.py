"""The sender: a thread per process that sends the huey messages of jobs queued by requests.

A request's ``enqueue_job`` commits the job row with the request; its after-commit hook
only hands the job to this thread (a bounded in-process queue) and the request answers at
once, without waiting on the queue's storage (an SQLite write, a Redis round trip). The
thread gathers what is handed to it for a moment (:data:`GATHER_SECONDS`), sends it, then
marks those rows sent (``job.sent_at``) in one transaction.

Nothing is lost: a row committed but never sent (the process died first) is still
``queued`` with no ``sent_at``, and :func:`resend_unsent` sends it again at start-up and,
for rows older than a minute, every minute from the consumer. A job whose message is sent
twice runs once: the first run claims the row (``queued`` → ``running``) and any other
finds it claimed and does nothing.
"""
from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ..models import Job
from ..models.types import utcnow
from . import store

log = logging.getLogger(__name__)
QUEUE_SIZE = 10_000
BATCH = 500
#: After the first job handed over, how long the thread lets more arrive (and the request that handed it
#: over finish) before it sends them: its work then neither competes with that request for the GIL
#: nor costs one transaction per job under load (the sent marks of a batch are one UPDATE).
GATHER_SECONDS = 0.02
#: The consumer's periodic re-send only takes jobs this old, so it does not race a live sender.
RESEND_AFTER_SECONDS = 60.0


class Sender:
    """Sends job messages off the request path; :meth:`drain` waits for it, :meth:`stop` ends it."""

    def __init__(self, job_queue: Any):
        self.job_queue = job_queue
        self.queue: queue.Queue[tuple[int, float] | None] = queue.Queue(QUEUE_SIZE)  # None: stop
        self.starting = threading.Lock()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def submit(self, job_id: int, delay: float = 0) -> None:
        """Send job ``job_id``'s message soon, in the thread; inline when the thread's queue is full or stopped."""
        if not self.stopping.is_set():
            self._start()
            try:
                self.queue.put_nowait((job_id, delay))
                return
            except queue.Full:
                pass  # a burst beyond the queue: this request sends its own message (back-pressure, no loss)
        send_now(self.job_queue, [(job_id, delay)])

    def drain(self) -> None:
        """Wait until every job handed to the thread has been sent (tests: ``run_jobs`` calls it)."""
        if self.thread is not None and self.thread.is_alive():
            self.queue.join()

    def stop(self, timeout: float = 10.0) -> None:
        """Send what is still handed over, then end the thread; later jobs are sent inline."""
        self.stopping.set()
        if self.thread is not None:
            with contextlib.suppress(queue.Full):  # full: the thread sees ``stopping`` at its next idle second
                self.queue.put_nowait(None)
            self.thread.join(timeout)
        leftovers = []  # handed over while the thread was ending
        while True:
            try:
                leftovers.append(self.queue.get_nowait())
            except queue.Empty:
                break
            self.queue.task_done()
        send_now(self.job_queue, [item for item in leftovers if item is not None])

    def _start(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            with self.starting:
                if (self.thread is None or not self.thread.is_alive()) and not self.stopping.is_set():
                    self.thread = threading.Thread(target=self._run, name="imagemonkey-job-sender", daemon=True)
                    self.thread.start()

    def _take(self) -> list[tuple[int, float] | None]:
        items = [self.queue.get(timeout=1.0)]
        if items[0] is not None:
            time.sleep(GATHER_SECONDS)
        while len(items) < BATCH and items[-1] is not None:
            try:
                items.append(self.queue.get_nowait())
            except queue.Empty:
                break
        return items

    def _run(self) -> None:
        while True:
            try:
                items = self._take()
            except queue.Empty:
                if self.stopping.is_set():
                    return
                continue
            jobs = [item for item in items if item is not None]
            try:
                send_now(self.job_queue, jobs)
            except Exception:  # never leave the thread: these rows stay unsent until the next re-send
                log.exception("sending job messages failed")
            finally:
                for _ in items:
                    self.queue.task_done()
            if len(jobs) < len(items):  # stop() asked, and everything handed over before it is sent
                return


def send_now(job_queue: Any, items: list[tuple[int, float]]) -> None:
    """Send these ``(job id, delay)`` messages in this thread, then mark the ones sent in one transaction."""
    sent = [job_id for job_id, delay in items if job_queue.send(job_id, delay)]
    try:
        store.mark_sent(job_queue.registry["db_engine"], sent)
    except Exception:  # unmarked rows are sent again at the next start-up; their second run is a no-op
        log.exception("jobs %s were sent but could not be marked sent", sent)


def resend_unsent(job_queue: Any, older_than: float = 0.0) -> int:
    """Send the messages of queued jobs never marked sent (enqueued ``older_than`` seconds ago or earlier).

    Called at start-up (``imagemonkey serve``, ``imagemonkey worker``) with 0 and every minute by the
    consumer with :data:`RESEND_AFTER_SECONDS`. Returns how many were sent.
    """
    engine = job_queue.registry["db_engine"]
    cutoff = utcnow() - timedelta(seconds=older_than)
    total, after = 0, 0
    while True:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Job.id, Job.due_at).where(Job.state == "queued", Job.sent_at.is_(None),
                                                 Job.enqueued_at <= cutoff, Job.id > after)
                .order_by(Job.id).limit(BATCH)).all()
        if not rows:
            return total
        now = utcnow()
        items = [(row.id, max(0.0, (row.due_at - now).total_seconds()) if row.due_at else 0.0) for row in rows]
        send_now(job_queue, items)
        log.warning("re-sent the messages of %d queued jobs that were never sent", len(items))
        total += len(items)
        after = rows[-1].id
