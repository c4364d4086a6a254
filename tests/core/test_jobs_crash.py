"""A job running when its process is killed with SIGKILL runs again and finishes (issue 21, item 4).

The process that ran it renewed its lease (``job.lease_until``); killed, it renews nothing, the lease
runs out, and a living consumer (the restarted ``imagemonkey serve``, another ``imagemonkey worker``)
queues the job again. ``demo.gate`` has a 2 s lease so the tests need not wait a minute.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jobs_support import install_demo_plugin, redis_settings
from sqlalchemy import create_engine, select, text
from test_jobs_live import call, wait_for
from webtest import TestApp

from imagemonkey.jobs.queue import job_queue
from imagemonkey.liveserver import LiveServer, stop_process
from imagemonkey.models import Job
from imagemonkey.models.types import utcnow
from imagemonkey.testing import auth, new_client, wait_for_job

JOB_ROW = text("SELECT state, attempts, result, error FROM job WHERE id = :id")


def lease_left(data: Path, job_id: str) -> float:
    """Seconds until the lease of job ``job_id`` runs out (negative: it ran out)."""
    engine = create_engine(f"sqlite:///{data / 'imagemonkey.sqlite'}")
    try:
        with engine.connect() as connection:
            until = connection.execute(select(Job.lease_until).where(Job.id == int(job_id))).scalar_one()
    finally:
        engine.dispose()
    return (until - utcnow()).total_seconds()


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def test_a_job_running_when_serve_is_killed_finishes_after_the_restart(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    install_demo_plugin(tmp_path / "site", monkeypatch)
    data, gate, runs = tmp_path / "data", tmp_path / "gate", tmp_path / "runs"
    server = LiveServer(data, plugins="demo")
    try:
        url, token = server.url, call(f"{server.url}/api/v1/clients", "POST")["token"]
        gated = call(f"{url}/api/v1/demo/jobs", "POST", {"name": "demo.gate", "params": {"gate": str(gate)}},
                     token)["job_id"]
        wait_for(lambda: call(f"{url}/api/v1/jobs/{gated}", token=token)["state"] == "running")
        time.sleep(5)  # more than two leases: the living server keeps renewing its lease
        alive = call(f"{url}/api/v1/jobs/{gated}", token=token)
        assert (alive["state"], alive["attempts"]) == ("running", 1), alive
        assert lease_left(data, gated) > 0
        waiting = [call(f"{url}/api/v1/demo/jobs", "POST", {"name": "demo.count", "params": {"path": str(runs)}},
                        token)["job_id"] for _ in range(3)]  # queued behind it (one consumer thread)
        kill(server.process)
    finally:
        server.stop()
    engine = create_engine(f"sqlite:///{data / 'imagemonkey.sqlite'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(JOB_ROW, {"id": gated}).one()[:2] == ("running", 1)
        gate.touch()
        restarted = LiveServer(data, plugins="demo")
        try:
            finished = wait_for(lambda: (job := call(f"{restarted.url}/api/v1/jobs/{gated}", token=token))["state"]
                                in ("done", "failed") and job, timeout=60)
            assert (finished["state"], finished["result"]) == ("done", {"gate": "open"}), finished
            for job_id in waiting:
                wait_for(lambda job_id=job_id: call(f"{restarted.url}/api/v1/jobs/{job_id}",
                                                    token=token)["state"] == "done")
        finally:
            restarted.stop()
        with engine.connect() as connection:
            assert connection.execute(JOB_ROW, {"id": gated}).one()[:2] == ("done", 2)
        assert sorted(runs.read_text().split()) == sorted(waiting)  # each waiting job ran once
    finally:
        engine.dispose()


def start_worker(ini: Path, log_path: Path) -> subprocess.Popen[bytes]:
    with open(log_path, "ab") as log:
        return subprocess.Popen([sys.executable, "-m", "imagemonkey", "worker", "--config", str(ini), "--workers", "1"],
                                stdout=log, stderr=subprocess.STDOUT)


def test_a_job_running_when_its_redis_worker_is_killed_finishes_on_the_next_worker(
        app_factory: Callable[..., TestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_demo_plugin(tmp_path / "site", monkeypatch)
    settings = redis_settings()
    app = app_factory(plugins=("demo",), **settings)
    registry_settings: dict[str, Any] = app.app.registry.settings
    ini = tmp_path / "worker.ini"
    ini.write_text("[app:main]\nuse = egg:imagemonkey\nimagemonkey.plugins = demo\n" + "".join(
        f"{key} = {registry_settings[key]}\n" for key in ("sqlalchemy.url", "imagemonkey.data_dir", *settings)))
    gate, log_path = tmp_path / "gate", tmp_path / "worker.log"
    token = new_client(app)
    worker = start_worker(ini, log_path)
    try:
        job_id = app.post_json("/api/v1/demo/jobs", {"name": "demo.gate", "params": {"gate": str(gate)}},
                               headers=auth(token), status=201).json["job_id"]
        assert wait_for_job(app, job_id, timeout=60, states=("running",))["attempts"] == 1, log_path.read_text()
        kill(worker)
        time.sleep(3)  # longer than the lease: nobody renews it, and nobody is left to notice
        assert wait_for_job(app, job_id, states=("running",))["state"] == "running"
        gate.touch()
        worker = start_worker(ini, log_path)
        finished = wait_for_job(app, job_id, timeout=60)
        assert (finished["state"], finished["result"], finished["attempts"]) == ("done", {"gate": "open"}, 2), \
            log_path.read_text()
    finally:
        stop_process(worker)
        job_queue(app.app.registry).huey.flush()
