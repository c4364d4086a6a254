"""One settler per process: a bounded queue of subjects to settle after their votes commit, and a thread.

``validate.settlement`` chooses how a committed vote is settled:

- ``background`` (the default): the request's after-commit hook puts its subjects on the
  queue and returns; one thread per process (started at the first vote) waits after the
  first queued item until a batch is queued or 250 ms have passed, takes up to a batch and
  settles it in one transaction, so the busier the server, the more votes share a batch. It also sweeps
  (:func:`.settlement.settle_pending`) when it starts and every ``validate.settle_sweep_seconds``,
  for subjects left pending by a process that died, a full queue, or another process.
- ``inline``: the committing thread settles right after the commit (scripts, simulations).

The queue is bounded: when it is full, a subject simply stays pending in the database until
the next sweep. Tests call :meth:`Settler.drain` (``imagemonkey.testing.settle_now``).
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterable
from typing import Any

from imagemonkey.plugin import after_commit

from .settlement import BATCH, settle_batch, settle_pending

log = logging.getLogger(__name__)
QUEUE_SIZE = 10_000
#: After the first queued item, how long the thread lets more votes arrive before it settles them together (less
#: when a whole batch is queued sooner). Each settlement has a fixed cost (a transaction, five statements), so larger
#: batches cost less per vote; a vote still settles within about this long plus one batch's work.
GATHER_SECONDS = 0.25
GATHER_STEP_SECONDS = 0.01
MODES = ("background", "inline")


class Settler:
    """Settles the subjects it is told about, off the request path (see the module docs)."""

    def __init__(self, registry: Any, mode: str = "background", sweep_seconds: float = 30.0):
        if mode not in MODES:
            raise ValueError(f"validate.settlement must be one of {', '.join(MODES)}")
        if sweep_seconds <= 0:
            raise ValueError("validate.settle_sweep_seconds must be positive")
        self.registry = registry
        self.mode = mode
        self.sweep_seconds = sweep_seconds
        self.queue: queue.Queue[list[int]] = queue.Queue(QUEUE_SIZE)
        self.running = threading.Lock()  # one settlement at a time in this process
        self.starting = threading.Lock()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def notify(self, subject_pks: list[int]) -> None:
        """Subjects whose votes just committed: settle them now (inline) or queue them (background)."""
        if self.mode == "inline":
            self.settle(subject_pks)
            return
        self._start()
        try:
            self.queue.put_nowait(subject_pks)
        except queue.Full:
            pass  # still pending in the database: the next sweep settles them

    def settle(self, subject_pks: Iterable[int] | None) -> int:
        """Settle these subjects (None: every pending one) in this thread."""
        with self.running:
            if subject_pks is None:
                return settle_pending(self.registry)
            return settle_batch(self.registry, set(subject_pks))

    def drain(self) -> None:
        """Wait until everything queued is settled, then sweep: afterwards nothing is pending."""
        if self.thread is not None and self.thread.is_alive():
            self.queue.join()
        self.settle(None)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread (what it has not settled stays pending for the next sweep)."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def _start(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            with self.starting:
                if (self.thread is None or not self.thread.is_alive()) and not self.stopping.is_set():
                    self.thread = threading.Thread(target=self._run, name="validate-settler", daemon=True)
                    self.thread.start()

    def _take(self, timeout: float) -> list[list[int]]:
        """What is queued: waits up to ``timeout`` s for the first item, then lets more arrive (until a batch is
        queued or ``GATHER_SECONDS`` have passed) and takes up to a batch."""
        items = [self.queue.get(timeout=timeout)]
        gather_until = time.monotonic() + GATHER_SECONDS
        while self.queue.qsize() < BATCH - 1 and time.monotonic() < gather_until and not self.stopping.is_set():
            time.sleep(GATHER_STEP_SECONDS)
        while len(items) < BATCH:
            try:
                items.append(self.queue.get_nowait())
            except queue.Empty:
                break
        return items

    def _guarded(self, subject_pks: Iterable[int] | None) -> None:
        try:
            self.settle(subject_pks)
        except Exception:  # the subjects stay pending; the next sweep settles them
            log.exception("validate settlement failed")

    def _run(self) -> None:
        self._guarded(None)
        next_sweep = time.monotonic() + self.sweep_seconds
        while not self.stopping.is_set():
            try:
                items = self._take(timeout=min(1.0, max(0.0, next_sweep - time.monotonic())))
            except queue.Empty:
                items = []
            if items:
                self._guarded({pk for item in items for pk in item})
                for _ in items:
                    self.queue.task_done()
            if time.monotonic() >= next_sweep:
                self._guarded(None)
                next_sweep = time.monotonic() + self.sweep_seconds


def settler_of(registry: Any) -> Settler:
    """The app's settler (made by ``includeme``)."""
    return registry["validate.settler"]


def settle_after_commit(request: Any, subject_pk: int) -> None:
    """Settle ``subject_pk`` once the request's transaction commits (one after-commit hook per request)."""
    pending = request.__dict__.get("validate_settle")
    if pending is None:
        pending = request.__dict__["validate_settle"] = []
        settler = settler_of(request.registry)
        after_commit(request, lambda: settler.notify(pending))
    pending.append(subject_pk)
