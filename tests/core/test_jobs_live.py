"""Jobs in real processes: ``imagemonkey serve`` with its consumer thread, and ``imagemonkey worker``."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jobs_support import install_demo_plugin, queue_settings
from sqlalchemy import create_engine, text
from webtest import TestApp

from imagemonkey.jobs.queue import job_queue
from imagemonkey.liveserver import LiveServer, stop_process
from imagemonkey.testing import auth, new_client, new_moderator, wait_for_job


def call(url: str, method: str = "GET", body: dict[str, Any] | None = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json", **(auth(token) if token else {})}
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method=method),
                                timeout=10) as answer:
        return json.load(answer)


def wait_for(predicate: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError("the condition never held")


@pytest.fixture
def demo_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    install_demo_plugin(tmp_path / "site", monkeypatch)
    server = LiveServer(tmp_path / "data", plugins="demo")
    yield server
    server.stop()


def test_serve_runs_jobs_in_its_consumer_thread_while_serving(demo_server: LiveServer, tmp_path: Path) -> None:
    url = demo_server.url
    token = call(f"{url}/api/v1/clients", "POST")["token"]
    gate = tmp_path / "gate"
    job_id = call(f"{url}/api/v1/demo/jobs", "POST", {"name": "demo.gate", "params": {"gate": str(gate)}},
                  token)["job_id"]
    running = wait_for(lambda: (job := call(f"{url}/api/v1/jobs/{job_id}", token=token))["progress"] == 0.25 and job)
    assert running["state"] == "running" and running["message"] == "waiting for the gate"
    # the server keeps answering, and other jobs wait their turn behind the running one (one consumer thread)
    assert call(f"{url}/api/v1/info")["name"]
    failing = call(f"{url}/api/v1/demo/jobs", "POST", {"name": "demo.fail"}, token)["job_id"]
    adding = call(f"{url}/api/v1/demo/jobs", "POST", {"name": "demo.add", "params": {"a": 1, "b": 2}}, token)["job_id"]
    assert call(f"{url}/api/v1/jobs/{failing}", token=token)["state"] == "queued"
    gate.touch()
    finished = wait_for(lambda: (job := call(f"{url}/api/v1/jobs/{adding}", token=token))["state"] == "done" and job)
    assert finished["result"]["sum"] == 3
    assert call(f"{url}/api/v1/jobs/{job_id}", token=token)["result"] == {"gate": "open"}
    failed = call(f"{url}/api/v1/jobs/{failing}", token=token)
    assert (failed["state"], failed["error"]) == ("failed", "ValueError: boom")
    assert call(f"{url}/api/v1/info")["name"]  # still serving after the failure
    with pytest.raises(urllib.error.HTTPError) as other:
        call(f"{url}/api/v1/jobs/{job_id}", token=call(f"{url}/api/v1/clients", "POST")["token"])
    assert other.value.code == 404


def test_stopping_serve_queues_the_job_it_was_running_again(demo_server: LiveServer, tmp_path: Path) -> None:
    url = demo_server.url
    token = call(f"{url}/api/v1/clients", "POST")["token"]
    gate = tmp_path / "gate"
    job_id = call(f"{url}/api/v1/demo/jobs", "POST", {"name": "demo.gate", "params": {"gate": str(gate)}},
                  token)["job_id"]
    wait_for(lambda: call(f"{url}/api/v1/jobs/{job_id}", token=token)["state"] == "running")
    demo_server.stop()  # SIGTERM: waitress stops, the consumer gets its grace period, then the job is queued again
    assert demo_server.process.returncode == 0
    engine = create_engine(f"sqlite:///{tmp_path / 'data' / 'imagemonkey.sqlite'}")
    with engine.connect() as connection:
        state, message, sent_at = connection.execute(text("SELECT state, message, sent_at FROM job WHERE id = :id"),
                                                     {"id": job_id}).one()
    engine.dispose()
    assert (state, sent_at) == ("queued", None)  # sent again by the next start-up
    assert message == ("attempt 1 of 5 ended (Interrupted: the server stopped while the job ran); queued again")
    gate.touch()
    restarted = LiveServer(tmp_path / "data", plugins="demo")
    try:
        done = wait_for(lambda: (job := call(f"{restarted.url}/api/v1/jobs/{job_id}", token=token))["state"] == "done"
                        and job)
        assert (done["result"], done["attempts"]) == ({"gate": "open"}, 2)
    finally:
        restarted.stop()


@pytest.mark.parametrize("queue_kind", ["redis", "sqlite"])
def test_worker_runs_jobs_queued_over_http(app_factory: Callable[..., TestApp], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch, queue_kind: str) -> None:
    """Redis: any machine's worker; SQLite: a worker beside ``pserve`` on the same data dir."""
    install_demo_plugin(tmp_path / "site", monkeypatch)
    settings = queue_settings(queue_kind)
    app = app_factory(plugins=("demo",), **settings)
    registry_settings = app.app.registry.settings
    ini = tmp_path / "worker.ini"
    ini.write_text("[app:main]\nuse = egg:imagemonkey\n" + "".join(
        f"{key} = {registry_settings[key]}\n" for key in ("sqlalchemy.url", "imagemonkey.data_dir")) +
        "imagemonkey.plugins = demo\n" + "".join(f"{key} = {value}\n" for key, value in settings.items()))
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen([sys.executable, "-m", "imagemonkey", "worker", "--config", str(ini),
                                   "--workers", "2"], stdout=log, stderr=subprocess.STDOUT)
    try:
        token, moderator = new_client(app), new_moderator(app)
        adding = app.post_json("/api/v1/demo/jobs", {"name": "demo.add", "params": {"a": 20, "b": 22}},
                               headers=auth(token), status=201).json["job_id"]
        failing = app.post_json("/api/v1/demo/jobs", {"name": "demo.fail"}, headers=auth(token),
                                status=201).json["job_id"]
        done = wait_for_job(app, adding, timeout=60)
        assert done["state"] == "done" and done["result"]["sum"] == 42, log_path.read_text()
        assert wait_for_job(app, failing, timeout=30)["error"] == "ValueError: boom"
        listed = app.get("/api/v1/jobs", {"state": "done", "name": "demo.add"}, headers=auth(moderator)).json["jobs"]
        assert [job["id"] for job in listed] == [adding]
        worker.send_signal(signal.SIGINT)  # huey's graceful stop
        assert worker.wait(timeout=30) == 0, log_path.read_text()
    finally:
        stop_process(worker)
        job_queue(app.app.registry).huey.flush()
    kind = {"redis": "RedisHuey", "sqlite": "SqliteHuey"}[queue_kind]
    assert f"ImageMonkey worker: 2 thread(s) on {kind}" in log_path.read_text()
