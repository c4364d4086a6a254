"""Benchmark (issue 10): job round trip, enqueue to result, on the embedded SQLite queue and on Redis.

Run from the repository root::

    .venv/bin/python bench/bench_jobs.py [--jobs 100] [--burst 200] [--redis redis://127.0.0.1:6379/2]

Installs a tiny plugin with one no-op job (``benchjobs.noop``) in a temporary folder and
builds two apps on their own migrated SQLite databases, each in the shape it is deployed in:

- ``sqlite``: the embedded default, huey's consumer started as ``imagemonkey serve`` starts
  it (one thread in this process, polling the SQLite queue: 50 ms after work, backing off
  to 1 s);
- ``redis``: ``imagemonkey.jobs = redis://...`` with ``imagemonkey worker --workers 1`` as a
  subprocess (huey blocks on the Redis list, so it wakes at once).

Jobs are queued with ``enqueue_job(registry, ...)``, alternating between the two queues, and
the row is polled every millisecond until it is ``done``. Figures: median and p90 round-trip
ms for each queue, the same from the row's own times (``finished_at - enqueued_at``), the
median cost of the ``enqueue_job`` call, jobs/s for a burst queued at once, and the ratio of
the medians. Removes its temporary folder and its Redis queue at the end.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from common import PYTHON, ROOT, bench_settings, emitter, write_ini
from sqlalchemy import select

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.jobs import enqueue_job
from imagemonkey.jobs.consumer import make_consumer
from imagemonkey.jobs.queue import job_queue
from imagemonkey.models import Job

emit = emitter("jobs")
PLUGIN = '''
import sys

from imagemonkey.hookspecs import hookimpl
from imagemonkey.jobs import JobSpec


def noop(ctx):
    return {"ok": True}


@hookimpl
def imagemonkey_jobs():
    return [JobSpec("benchjobs.noop", noop)]


def includeme(config):
    config.add_hooks(sys.modules[__name__])
'''


def install_plugin(site: Path) -> None:
    """The ``benchjobs`` plugin as an installed distribution under ``site`` (this process and children)."""
    (site / "imagemonkey_benchjobs").mkdir(parents=True)
    (site / "imagemonkey_benchjobs" / "__init__.py").write_text(PLUGIN)
    dist = site / "imagemonkey_benchjobs-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: imagemonkey-benchjobs\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[imagemonkey.plugins]\nbenchjobs = imagemonkey_benchjobs\n")
    sys.path.insert(0, str(site))
    os.environ["PYTHONPATH"] = str(site)


def build_app(folder: Path, extra: dict[str, str]) -> tuple[Any, dict[str, str]]:
    """A migrated SQLite database under ``folder`` and the app on it."""
    folder.mkdir()
    settings = {**bench_settings(folder), "imagemonkey.plugins": "benchjobs", **extra}
    engine = make_engine(settings["sqlalchemy.url"])
    upgrade(engine, ["benchjobs"])
    engine.dispose()
    return make_app(dict(settings)), settings


def round_trip(registry: Any) -> tuple[float, float, float]:
    """Queue one no-op job and poll its row until done: (round trip ms, row's own ms, enqueue call ms)."""
    engine = registry["db_engine"]
    start = time.perf_counter()
    job_id = int(enqueue_job(registry, "benchjobs.noop"))
    queued = time.perf_counter()
    query = select(Job.state, Job.enqueued_at, Job.finished_at).where(Job.id == job_id)
    with engine.connect() as connection:
        while True:
            row = connection.execute(query).one()
            connection.rollback()  # a fresh snapshot for the next read
            if row.state in ("done", "failed"):
                break
            time.sleep(0.001)
    done = time.perf_counter()
    if row.state != "done":
        raise RuntimeError(f"job {job_id} failed")
    return (done - start) * 1000, (row.finished_at - row.enqueued_at).total_seconds() * 1000, (queued - start) * 1000


def burst(registry: Any, count: int) -> float:
    """Queue ``count`` jobs at once; jobs per second until the last one is done."""
    engine = registry["db_engine"]
    start = time.perf_counter()
    ids = [int(enqueue_job(registry, "benchjobs.noop")) for _ in range(count)]
    with engine.connect() as connection:
        while connection.execute(select(Job.id).where(Job.id.in_(ids), Job.state != "done").limit(1)).first():
            connection.rollback()
            time.sleep(0.005)
    return count / (time.perf_counter() - start)


def start_worker(settings: dict[str, str], folder: Path) -> subprocess.Popen[bytes]:
    """``imagemonkey worker`` on the app's config; returns once it has started consuming."""
    ini = write_ini(folder / "worker.ini", settings)
    log = folder / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([PYTHON, "-m", "imagemonkey", "worker", "--config", str(ini), "--workers", "1",
                                   "--no-periodic"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "ImageMonkey worker:" not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"imagemonkey worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    return worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=100, help="round trips per queue (default 100)")
    parser.add_argument("--burst", type=int, default=200, help="jobs queued at once per queue (default 200)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2", help="the Redis to queue on")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    worker = consumer = redis_app = None
    try:
        install_plugin(tmp / "site")
        sqlite_app, _ = build_app(tmp / "sqlite", {})
        queue_name = f"bench-{uuid.uuid4().hex[:8]}"
        redis_app, redis_settings = build_app(tmp / "redis", {"imagemonkey.jobs": args.redis,
                                                              "imagemonkey.jobs.queue": queue_name})
        consumer = make_consumer(job_queue(sqlite_app.registry), 1, embedded=True, periodic=False)
        consumer.start()
        worker = start_worker(redis_settings, tmp / "redis")
        apps = {"sqlite": sqlite_app.registry, "redis": redis_app.registry}
        for registry in apps.values():  # warm up: connections, the worker's first import of the job
            for _ in range(5):
                round_trip(registry)
        runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in apps}
        for _ in range(args.jobs):
            for name, registry in apps.items():  # interleaved, so both see the same machine load
                runs[name].append(round_trip(registry))
        medians = {}
        for name, samples in runs.items():
            trips = [sample[0] for sample in samples]
            medians[name] = statistics.median(trips)
            emit(f"{name}_round_trip_median", round(medians[name], 2), "ms", jobs=len(trips))
            emit(f"{name}_round_trip_p90", round(statistics.quantiles(trips, n=10)[-1], 2), "ms", jobs=len(trips))
            emit(f"{name}_enqueued_to_finished_median", round(statistics.median(s[1] for s in samples), 2), "ms",
                 source="job row times")
            emit(f"{name}_enqueue_call_median", round(statistics.median(s[2] for s in samples), 2), "ms")
        emit("round_trip_ratio_sqlite_to_redis", round(medians["sqlite"] / medians["redis"], 2), "x")
        for name, registry in apps.items():
            emit(f"{name}_burst_throughput", round(burst(registry, args.burst), 1), "jobs/s", jobs=args.burst,
                 workers=1)
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
        if worker is not None:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)
        if redis_app is not None:
            job_queue(redis_app.registry).huey.flush()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
