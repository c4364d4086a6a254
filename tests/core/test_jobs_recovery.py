"""Job messages leave the request: the sender thread sends them, and a message that was never sent is re-sent.

A request commits its job row and answers; core's sender thread sends the huey message and marks
the row sent. A row committed by a process that died before sending (``queued``, no ``sent_at``) is
re-sent at start-up and by the consumer's periodic task; a job whose message arrives twice runs once.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from huey.signals import SIGNAL_ENQUEUED
from jobs_support import install_demo_plugin, queue_settings
from sqlalchemy import create_engine, text, update
from webtest import TestApp

from imagemonkey.jobs.queue import RESEND_TASK_NAME, job_queue
from imagemonkey.jobs.sender import resend_unsent
from imagemonkey.liveserver import LiveServer
from imagemonkey.models import Job
from imagemonkey.models.types import utcnow
from imagemonkey.testing import auth, new_client, run_jobs, settle_now, wait_for_job

QUEUES = pytest.mark.parametrize("queue_kind", ["sqlite", "redis"])


def queue_count(app: TestApp, token: str, path: Path) -> str:
    return app.post_json("/api/v1/demo/jobs", {"name": "demo.count", "params": {"path": str(path)}},
                         headers=auth(token), status=201).json["job_id"]


def row(app: TestApp, job_id: str) -> Job:
    with app.app.registry["dbsession_factory"]() as session:
        return session.get(Job, int(job_id))


def lost_message(app: TestApp, path: Path, enqueued_ago: float = 0.0, due_in: float | None = None) -> str:
    """A job row as a process that died between its commit and its send leaves it: queued, never sent."""
    now = utcnow()
    with app.app.registry["dbsession_factory"]() as session:
        job = Job(name="demo.count", state="queued", progress=0.0, params={"path": str(path)},
                  enqueued_at=now - timedelta(seconds=enqueued_ago),
                  due_at=now + timedelta(seconds=due_in) if due_in is not None else None)
        session.add(job)
        session.commit()
        return str(job.id)


@QUEUES
def test_the_request_hands_the_message_to_the_sender_thread(demo_app: Callable[..., TestApp], tmp_path: Path,
                                                            queue_kind: str) -> None:
    app = demo_app(**queue_settings(queue_kind))
    queue = job_queue(app.app.registry)
    senders: list[str] = []
    queue.huey.signal(SIGNAL_ENQUEUED)(lambda signal, task: senders.append(threading.current_thread().name))
    job_id = queue_count(app, new_client(app), tmp_path / "runs")
    settle_now(app)
    assert senders == ["imagemonkey-job-sender"]  # not the thread that served the request
    assert row(app, job_id).sent_at is not None
    assert run_jobs(app) == 1
    assert wait_for_job(app, job_id)["result"] == {"runs": 1}


@QUEUES
def test_a_job_whose_message_was_lost_is_sent_again_and_runs_once(demo_app: Callable[..., TestApp], tmp_path: Path,
                                                                 queue_kind: str) -> None:
    app = demo_app(**queue_settings(queue_kind))
    runs = tmp_path / "runs"
    lost = lost_message(app, runs)
    assert run_jobs(app) == 0  # nothing in the queue: the message never left the dead process
    assert resend_unsent(job_queue(app.app.registry)) == 1
    assert row(app, lost).sent_at is not None
    assert resend_unsent(job_queue(app.app.registry)) == 0  # marked sent: not sent a second time
    assert run_jobs(app) == 1
    assert wait_for_job(app, lost)["result"] == {"runs": 1}
    assert runs.read_text().split() == [lost]


@QUEUES
def test_a_job_whose_message_arrives_twice_runs_once(demo_app: Callable[..., TestApp], tmp_path: Path,
                                                     queue_kind: str) -> None:
    """Sent, then the process died before marking it sent: start-up sends it again; the second run is a no-op."""
    app = demo_app(**queue_settings(queue_kind))
    runs = tmp_path / "runs"
    job_id = queue_count(app, new_client(app), runs)
    settle_now(app)
    with app.app.registry["dbsession_factory"]() as session:
        session.execute(update(Job).where(Job.id == int(job_id)).values(sent_at=None))
        session.commit()
    assert resend_unsent(job_queue(app.app.registry)) == 1
    assert run_jobs(app) == 2  # two messages were consumed...
    assert runs.read_text().split() == [job_id]  # ...and the job ran once
    assert wait_for_job(app, job_id)["result"] == {"runs": 1}


def test_the_periodic_re_send_leaves_recent_jobs_to_their_sender(demo_app: Callable[..., TestApp],
                                                                 tmp_path: Path) -> None:
    app = demo_app()
    old = lost_message(app, tmp_path / "old", enqueued_ago=120)
    recent = lost_message(app, tmp_path / "recent")  # perhaps still in a live process's sender
    huey = job_queue(app.app.registry).huey
    periodic = [task for task in huey.read_periodic(utcnow()) if task.name == RESEND_TASK_NAME]
    assert len(periodic) == 1
    huey.execute(periodic[0])
    assert run_jobs(app) == 1
    assert (row(app, old).state, row(app, recent).state) == ("done", "queued")


def test_a_lost_delayed_job_keeps_its_due_time(demo_app: Callable[..., TestApp], tmp_path: Path) -> None:
    app = demo_app()
    job_id = lost_message(app, tmp_path / "runs", due_in=3600)
    assert resend_unsent(job_queue(app.app.registry)) == 1
    assert run_jobs(app) == 0  # on huey's schedule for an hour from now
    assert row(app, job_id).state == "queued"


def test_a_stopped_sender_sends_inline(demo_app: Callable[..., TestApp], tmp_path: Path) -> None:
    app = demo_app()
    token = new_client(app)
    first = queue_count(app, token, tmp_path / "runs")
    job_queue(app.app.registry).sender.stop()  # sends what it was handed, then ends
    assert row(app, first).sent_at is not None
    second = queue_count(app, token, tmp_path / "runs")
    assert row(app, second).sent_at is not None  # the after-commit hook sent it itself
    assert run_jobs(app) == 2


def test_serve_re_sends_at_start_up_what_a_dead_process_never_sent(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    install_demo_plugin(tmp_path / "site", monkeypatch)
    data = tmp_path / "data"
    LiveServer(data, plugins="demo").stop()  # creates and migrates the site
    runs = tmp_path / "runs"
    engine = create_engine(f"sqlite:///{data / 'imagemonkey.sqlite'}")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO job (name, state, progress, params, enqueued_at) "
                                "VALUES ('demo.count', 'queued', 0, :params, '2026-11-29 12:00:00+00:00')"),
                           {"params": f'{{"path": "{runs}"}}'})
    query = text("SELECT state, sent_at, id FROM job WHERE name = 'demo.count'")
    server = LiveServer(data, plugins="demo")
    try:
        deadline = time.monotonic() + 30
        with engine.connect() as connection:
            while (found := connection.execute(query).one())[0] != "done" and time.monotonic() < deadline:
                connection.rollback()
                time.sleep(0.05)
    finally:
        server.stop()
    engine.dispose()
    assert (found[0], runs.read_text().split(), found[1] is not None) == ("done", [str(found[2])], True)
