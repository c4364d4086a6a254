"""A job that meets a transient database error runs again after a backoff, until its attempts run out (item 5).

``demo.flaky`` writes to a SQLite file of its own without waiting; while the test holds that file's
write lock, the write fails with a real "database is locked" (SQLITE_BUSY).
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator, run_jobs


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``path``'s write lock for the block, as another process's long transaction would."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def scratch(tmp_path: Path) -> Path:
    path = tmp_path / "scratch.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE runs (attempt INTEGER)")
    return path


def job(app: TestApp, moderator: str, job_id: str) -> dict[str, Any]:
    return app.get(f"/api/v1/jobs/{job_id}", headers=auth(moderator)).json


def run_until(app: TestApp, moderator: str, job_id: str, attempts: int, timeout: float = 15.0) -> dict[str, Any]:
    """Run due jobs until job ``job_id`` has started ``attempts`` runs and is not running; returns its JSON."""
    deadline = time.monotonic() + timeout
    while (found := job(app, moderator, job_id))["attempts"] < attempts or found["state"] == "running":
        assert time.monotonic() < deadline, found
        run_jobs(app)
        time.sleep(0.1)
    return found


def test_a_transient_error_queues_the_job_again_after_a_backoff(demo_app: Callable[..., TestApp],
                                                                tmp_path: Path) -> None:
    app = demo_app()
    moderator, path = new_moderator(app), scratch(tmp_path)
    job_id = app.post_json("/api/v1/demo/jobs", {"name": "demo.flaky", "params": {"path": str(path)}},
                           headers=auth(new_client(app)), status=201).json["job_id"]
    with locked(path):
        began = time.monotonic()
        assert run_jobs(app) == 1
        first = job(app, moderator, job_id)
        assert (first["state"], first["attempts"], first["error"]) == ("queued", 1, None)
        assert first["message"].startswith("attempt 1 of 3 ended (OperationalError: database is locked)")
        assert run_jobs(app) == 0  # not due yet: the backoff
    done = run_until(app, moderator, job_id, 2)
    assert time.monotonic() - began >= 1.4  # 2 s, jittered by a quarter
    assert (done["state"], done["result"], done["attempts"]) == ("done", {"attempt": 2}, 2)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT attempt FROM runs").fetchall() == [(2,)]


def test_a_job_out_of_attempts_fails_with_the_reason(demo_app: Callable[..., TestApp], tmp_path: Path) -> None:
    app = demo_app()
    moderator, path = new_moderator(app), scratch(tmp_path)
    job_id = app.post_json("/api/v1/demo/jobs", {"name": "demo.flaky", "params": {"path": str(path)}},
                           headers=auth(new_client(app)), status=201).json["job_id"]
    with locked(path):
        failed = run_until(app, moderator, job_id, 3, timeout=30)
    assert (failed["state"], failed["attempts"]) == ("failed", 3)
    assert failed["error"] == "OperationalError: database is locked (gave up after 3 attempts)"


def test_a_job_that_raises_anything_else_fails_at_once(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app()
    moderator = new_moderator(app)
    job_id = app.post_json("/api/v1/demo/jobs", {"name": "demo.fail"}, headers=auth(new_client(app)),
                           status=201).json["job_id"]
    assert run_jobs(app) == 1
    failed = job(app, moderator, job_id)
    assert (failed["state"], failed["attempts"], failed["error"]) == ("failed", 1, "ValueError: boom")
