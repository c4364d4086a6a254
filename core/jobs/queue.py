"""The app's queue: which huey (SQLite, Redis, immediate), its one task, and how a job runs."""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.storage import SqliteStorage

from . import store
from .attempts import give_up, retry_or_give_up
from .context import JobContext
from .lease import lease_of
from .prune import CORE_JOBS, read_keep_days
from .sender import RESEND_AFTER_SECONDS, Sender, resend_unsent
from .spec import JobSpec, collect_job_specs
from .transient import is_transient, retry_delay, with_retries

log = logging.getLogger(__name__)

QUEUE_NAME = "imagemonkey"
TASK_NAME = "imagemonkey.run_job"
RESEND_TASK_NAME = "imagemonkey.resend_unsent"


class QueueStorage(SqliteStorage):
    """huey's SQLite storage with the app database's durability: WAL and ``synchronous=NORMAL``.

    huey leaves SQLite's default (FULL: an fsync per message). The job row, the source of truth,
    is committed with NORMAL, and a message lost with the machine is sent again from its row
    (:func:`resend_unsent`), so the queue file needs no stronger promise than the row.
    """

    def _create_connection(self) -> Any:
        connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


def make_huey(settings: dict[str, Any]) -> Huey:
    """``imagemonkey.jobs``: unset → SQLite under the data dir; ``redis://host:port/db``; ``immediate``.

    ``imagemonkey.jobs.queue`` names the queue (default ``imagemonkey``), so several sites or
    test runs can share one Redis database.
    """
    where = str(settings.get("imagemonkey.jobs") or "").strip()
    name = str(settings.get("imagemonkey.jobs.queue") or QUEUE_NAME).strip()
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,100}", name):
        raise ValueError(f"imagemonkey.jobs.queue must be letters, digits and _.:- (at most 100), not {name!r}")
    if not where:
        path = Path(settings["imagemonkey.data_dir"]) / "jobs.sqlite"
        return SqliteHuey(name, filename=str(path), results=False, storage_class=QueueStorage)
    if where == "immediate":
        return MemoryHuey(name, immediate=True, results=False)
    if where.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=where, results=False)
    raise ValueError(f"imagemonkey.jobs must be empty (SQLite under the data dir), 'immediate' or a "
                     f"redis://host:port/db URL, not {where!r}")


def read_workers(settings: dict[str, Any]) -> int:
    """``imagemonkey.jobs.workers``: consumer threads inside ``imagemonkey serve`` (default 1, 0 for none)."""
    raw = settings.get("imagemonkey.jobs.workers", "1")
    try:
        workers = int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"imagemonkey.jobs.workers must be a whole number, not {raw!r}") from None
    if not 0 <= workers <= 64:
        raise ValueError("imagemonkey.jobs.workers must be between 0 and 64")
    return workers


def every(seconds: int) -> Callable[[datetime], bool]:
    """huey's periodic test for a period of whole minutes (huey checks once a minute)."""
    minutes = seconds // 60

    def due(moment: datetime) -> bool:
        return (int(moment.timestamp()) // 60) % minutes == 0
    return due


class JobQueue:
    """The registered jobs, the huey instance and its one task, which runs a job row by id."""

    def __init__(self, registry: Any, specs: dict[str, JobSpec], huey: Huey, workers: int):
        self.registry = registry
        self.specs = specs
        self.huey = huey
        self.workers = workers
        self.running: dict[int, tuple[str, int]] = {}  # the jobs this process runs: id -> (name, attempt)
        self.wakeup = threading.Event()  # set when this process queues a job: embedded workers stop sleeping
        self._running_lock = threading.Lock()

        def run_job(job_id: int) -> None:
            self.execute(job_id)
        self.task = huey.task(name=TASK_NAME)(run_job)
        for spec in specs.values():
            if spec.every_seconds:
                self._add_periodic(spec)

        def resend() -> None:
            resend_unsent(self, RESEND_AFTER_SECONDS)
        huey.periodic_task(lambda moment: True, name=RESEND_TASK_NAME)(resend)
        #: Sends the messages of jobs queued by requests (None with the immediate queue: those run inline).
        self.sender = None if huey.immediate else Sender(self)

    @property
    def embedded(self) -> bool:
        """True when the queue lives in this machine's data dir, so ``imagemonkey serve`` consumes it."""
        return isinstance(self.huey, SqliteHuey)

    def _add_periodic(self, spec: JobSpec) -> None:
        def run_periodic() -> None:
            from .enqueue import insert_job

            self.execute(insert_job(self.registry, spec.name, {}))
        self.huey.periodic_task(every(spec.every_seconds or 60), name=f"imagemonkey.periodic.{spec.name}")(run_periodic)

    def send(self, job_id: int, delay: float = 0) -> bool:
        """Send the message that runs job ``job_id`` (after ``delay`` seconds); a failed send fails the job.

        Returns True when the message was sent.
        """
        try:
            if delay:
                self.task.schedule(args=(job_id,), delay=delay)
            else:
                self.task(job_id)
            self.wakeup.set()
            return True
        except Exception as exc:  # the queue is down: say so on the job instead of leaving it queued forever
            log.exception("job %s could not be queued", job_id)
            give_up(self, job_id, "QueueError: " + store.describe_error(exc), None)
            return False

    def dispatch(self, job_id: int, delay: float = 0) -> None:
        """After a request's commit: hand the message to the sender thread (inline on the immediate queue)."""
        if self.sender is None:
            self.send(job_id, delay)
        else:
            self.sender.submit(job_id, delay)

    def execute(self, job_id: int) -> None:
        """Run job ``job_id`` here: running, then done with its result, queued again after a transient database
        error (with backoff, while it has attempts left) or failed with its error."""
        engine = self.registry["db_engine"]
        claimed = with_retries(lambda: store.claim(engine, job_id, lambda name: lease_of(self, name)),
                               f"claiming job {job_id}")
        if claimed is None:
            log.info("job %s is not queued any more; skipped", job_id)
            return
        name, params, attempt = claimed
        spec = self.specs.get(name)
        if spec is None:
            give_up(self, job_id, f"UnknownJob: no job named {name!r} is registered where it ran", attempt)
            return
        with self._running_lock:
            self.running[job_id] = (name, attempt)
        try:
            result = store.json_value(spec.run(JobContext(str(job_id), self.registry, params, attempt), **params))
        except Exception as exc:  # a job's failure is recorded on its row; the consumer goes on
            error = store.describe_error(exc)
            if is_transient(exc):
                log.warning("job %s (%s) attempt %s met a transient database error: %s", job_id, name, attempt, error)
                retry_or_give_up(self, job_id, name, attempt, error, delay=retry_delay(attempt))
            else:
                log.exception("job %s (%s) failed", job_id, name)
                give_up(self, job_id, error, attempt)
        else:
            if not with_retries(lambda: store.finish(engine, job_id, attempt, result), f"finishing job {job_id}"):
                log.warning("job %s (%s) attempt %s finished after its lease ran out; its result is dropped",
                            job_id, name, attempt)
        finally:
            with self._running_lock:
                self.running.pop(job_id, None)

    def running_now(self) -> dict[int, tuple[str, int]]:
        """The jobs this process runs now: ``{job id: (name, attempt)}``."""
        with self._running_lock:
            return dict(self.running)

    def release_running(self, reason: str) -> list[int]:
        """This process is stopping: queue its running jobs again (sent at the next start-up, or by any running
        consumer's periodic re-send) or fail those out of attempts; returns their ids."""
        released = self.running_now()
        for job_id, (name, attempt) in sorted(released.items()):
            retry_or_give_up(self, job_id, name, attempt, f"Interrupted: {reason}", send=False)
        return sorted(released)


def setup_jobs(registry: Any) -> JobQueue:
    """Collect core's and the plugins' jobs (a duplicate fails start-up); put the app's JobQueue on the registry."""
    settings = registry.settings
    read_keep_days(settings)  # a bad value stops start-up, not the nightly job
    queue = JobQueue(registry, collect_job_specs(registry.pm, CORE_JOBS), make_huey(settings),
                     read_workers(settings))
    registry["jobs"] = queue
    if queue.sender is not None:  # settle_now drains it, the test fixture and serve stop it
        registry.setdefault("imagemonkey.background", []).append(queue.sender)
    return queue


def job_queue(registry: Any) -> JobQueue:
    """The app's :class:`JobQueue`."""
    return registry["jobs"]
