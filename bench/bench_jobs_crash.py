"""Jobs recovered after kill -9 (issue 21, item 4): the jobs running when their process died finish after all.

Run from the repository root::

    .venv/bin/python bench/bench_jobs_crash.py [--jobs 12] [--redis redis://127.0.0.1:6379/7]

Installs a tiny plugin whose job (``benchcrash.work``) sleeps 2 s and has a 5 s lease, queues
``--jobs`` of them, and kills the process running them with SIGKILL while 4 of them run:

- ``sqlite``: ``imagemonkey serve`` with 4 consumer threads on the embedded queue; restarted on
  the same data folder after the kill;
- ``redis``: ``imagemonkey worker --workers 4`` on a Redis queue; a second worker is started after
  the kill.

Prints JSON lines per queue: the jobs running at the kill, the ones of those that finished
afterwards (``jobs_recovered``), the jobs that never finished (``jobs_lost``, target 0), the
seconds from the restart until the last job finished, and the most attempts any job took.
Removes its temporary folder and Redis queue at the end.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from common import PYTHON, ROOT, bench_settings, emitter, free_port, stop, wait_for_port, write_ini
from sqlalchemy import select

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.jobs import enqueue_job
from imagemonkey.jobs.queue import job_queue
from imagemonkey.models import Job

emit = emitter("jobs_crash")
THREADS = 4
PLUGIN = '''
import sys
import time

from imagemonkey.hookspecs import hookimpl
from imagemonkey.jobs import JobSpec


def work(ctx, seconds):
    time.sleep(seconds)
    return {"slept": seconds, "attempt": ctx.attempt}


@hookimpl
def imagemonkey_jobs():
    return [JobSpec("benchcrash.work", work, lease_seconds=5)]


def includeme(config):
    config.add_hooks(sys.modules[__name__])
'''


def install_plugin(site: Path) -> None:
    """The ``benchcrash`` plugin as an installed distribution under ``site`` (this process and children)."""
    (site / "imagemonkey_benchcrash").mkdir(parents=True)
    (site / "imagemonkey_benchcrash" / "__init__.py").write_text(PLUGIN)
    dist = site / "imagemonkey_benchcrash-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: imagemonkey-benchcrash\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[imagemonkey.plugins]\nbenchcrash = imagemonkey_benchcrash\n")
    sys.path.insert(0, str(site))
    os.environ["PYTHONPATH"] = str(site)


def states(registry: Any, ids: list[int]) -> dict[int, tuple[str, int]]:
    """``{job id: (state, attempts)}``."""
    with registry["db_engine"].connect() as connection:
        return {row.id: (row.state, row.attempts) for row in
                connection.execute(select(Job.id, Job.state, Job.attempts).where(Job.id.in_(ids)))}


def wait(condition: Any, timeout: float) -> bool:
    """Poll ``condition`` every 50 ms until it holds (True) or ``timeout`` s pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def consumer(kind: str, ini: Path, folder: Path) -> subprocess.Popen[bytes]:
    """The process that runs jobs: ``imagemonkey serve`` (sqlite) or ``imagemonkey worker`` (redis)."""
    log = (folder / f"{kind}.log").open("ab")
    if kind == "sqlite":
        port = free_port()
        process = subprocess.Popen([PYTHON, "-m", "imagemonkey", "serve", "--host", "127.0.0.1", "--port", str(port),
                                    "--config", str(ini)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(port, process, folder / f"{kind}.log")
        return process
    return subprocess.Popen([PYTHON, "-m", "imagemonkey", "worker", "--config", str(ini), "--workers", str(THREADS)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def run(kind: str, folder: Path, jobs: int, redis_url: str) -> None:
    """Queue ``jobs``, kill the consumer while some run, restart it, and emit what was recovered."""
    folder.mkdir()
    settings = {**bench_settings(folder), "imagemonkey.plugins": "benchcrash", "imagemonkey.jobs.workers": str(THREADS)}
    if kind == "redis":
        settings |= {"imagemonkey.jobs": redis_url, "imagemonkey.jobs.queue": f"bench-crash-{uuid.uuid4().hex[:8]}"}
    engine = make_engine(settings["sqlalchemy.url"])
    upgrade(engine, ["benchcrash"])
    engine.dispose()
    ini = write_ini(folder / "site.ini", settings)
    registry = make_app(dict(settings, **{"imagemonkey.jobs.workers": "0"})).registry
    process = consumer(kind, ini, folder)
    try:
        ids = [int(enqueue_job(registry, "benchcrash.work", seconds=2)) for _ in range(jobs)]
        if not wait(lambda: Counter(s for s, _ in states(registry, ids).values())["running"] == THREADS, 60):
            raise RuntimeError(f"the jobs never ran:\n{(folder / f'{kind}.log').read_text()[-3000:]}")
        process.send_signal(signal.SIGKILL)
        process.wait()
        at_kill = [job_id for job_id, (state, _) in states(registry, ids).items() if state == "running"]
        restarted = time.perf_counter()
        process = consumer(kind, ini, folder)
        wait(lambda: all(state in ("done", "failed") for state, _ in states(registry, ids).values()), 120)
        seconds = time.perf_counter() - restarted
        final = states(registry, ids)
    finally:
        stop(process)
        if kind == "redis":
            job_queue(registry).huey.flush()
        registry["db_engine"].dispose()
    extra = {"queue": kind, "jobs": jobs, "lease_s": 5}
    emit("jobs_running_at_kill", len(at_kill), "jobs", **extra)
    emit("jobs_recovered", sum(final[job_id][0] == "done" for job_id in at_kill), "jobs", **extra)
    emit("jobs_lost", sum(state != "done" for state, _ in final.values()), "jobs", **extra)
    emit("seconds_to_finish_after_restart", round(seconds, 1), "s", **extra)
    emit("most_attempts", max(attempts for _, attempts in final.values()), "attempts", **extra)


def main(argv: list[str] | None = None) -> int:
    """Both queues in a temporary folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--queues", default="sqlite,redis", help="comma-separated: sqlite, redis")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        install_plugin(Path(tmp) / "site")
        for kind in args.queues.split(","):
            run(kind, Path(tmp) / kind, args.jobs, args.redis)
    return 0


if __name__ == "__main__":
    sys.exit(main())
