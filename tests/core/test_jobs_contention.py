"""Jobs of a separate worker on the embedded SQLite database while the server writes (issue 21, item 5).

With SQLite and ``imagemonkey worker`` on Redis, two processes write to one database file. A job's
write can then meet "database is locked": another process held the write lock past the busy
timeout, or committed after this transaction's first read (SQLite does not wait then). Such a job
runs again after a backoff; none may fail for it. Here a worker with two threads runs 40 jobs that
do what screening does (a locked read, then a write) while four threads of the test process write
through the app as fast as they can.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from jobs_support import install_demo_plugin, redis_settings
from sqlalchemy import select
from webtest import TestApp

from imagemonkey.jobs.queue import job_queue
from imagemonkey.liveserver import stop_process
from imagemonkey.models import Job
from imagemonkey.testing import auth, new_client

JOBS = 40
WRITERS = 4


def test_a_separate_workers_jobs_survive_sqlite_write_contention(app_factory: Callable[..., TestApp], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    install_demo_plugin(tmp_path / "site", monkeypatch)
    settings = redis_settings()
    app = app_factory(plugins=("demo",), **settings)
    registry_settings = app.app.registry.settings
    ini = tmp_path / "worker.ini"
    ini.write_text("[app:main]\nuse = egg:imagemonkey\nimagemonkey.plugins = demo\n" + "".join(
        f"{key} = {registry_settings[key]}\n" for key in ("sqlalchemy.url", "imagemonkey.data_dir", *settings)))
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen([sys.executable, "-m", "imagemonkey", "worker", "--config", str(ini),
                                   "--workers", "2"], stdout=log, stderr=subprocess.STDOUT)
    factory = app.app.registry["dbsession_factory"]
    stop = threading.Event()
    writes: Counter[int] = Counter()

    def writer() -> None:
        client = TestApp(app.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        while not stop.is_set():
            writes[client.post("/api/v1/clients", status="*").status_int] += 1

    def states() -> Counter[str]:
        with factory() as session:
            return Counter(session.scalars(select(Job.state).where(Job.name == "demo.touch")))

    writers = [threading.Thread(target=writer) for _ in range(WRITERS)]
    try:
        token = new_client(app)
        contributor_id = app.get("/api/v1/me", headers=auth(token)).json["id"]
        for thread in writers:
            thread.start()
        body = {"name": "demo.touch", "params": {"contributor_id": int(contributor_id)}}
        for _ in range(JOBS):
            app.post_json("/api/v1/demo/jobs", body, headers=auth(token), status=201)
        deadline = time.monotonic() + 120
        while (found := states())["done"] + found["failed"] < JOBS and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in writers:
            if thread.is_alive():
                thread.join()
        stop_process(worker)
        job_queue(app.app.registry).huey.flush()
    with factory() as session:
        failed = list(session.scalars(select(Job.error).where(Job.name == "demo.touch", Job.state == "failed")))
    assert failed == [], f"{len(failed)} jobs failed: {Counter(failed).most_common(3)}"
    assert states() == {"done": JOBS}, log_path.read_text()[-3000:]
    assert writes[200] + writes[201] > 0 and set(writes) <= {200, 201}, writes
