"""Background jobs on the embedded SQLite queue, through HTTP: state, progress, result, failure, permissions.

Jobs come from the ``demo`` plugin (``jobs_support``), registered through ``imagemonkey_jobs``
and queued by its route; ``run_jobs`` runs them through huey's own dequeue/execute path.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jobs_support import queue_settings
from sqlalchemy import select
from webtest import TestApp

from imagemonkey.cli import main
from imagemonkey.jobs import JobSpec, enqueue_job
from imagemonkey.jobs.queue import job_queue
from imagemonkey.models import Job
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs, settle_now, wait_for_job

QUEUES = pytest.mark.parametrize("queue_kind", ["sqlite", "redis"])


def queue(app: TestApp, token: str, name: str, status: int = 201, **params: Any) -> str:
    return app.post_json("/api/v1/demo/jobs", {"name": name, "params": params}, headers=auth(token),
                         status=status).json["job_id"]


def job(app: TestApp, token: str, job_id: str, status: int = 200) -> dict[str, Any]:
    return app.get(f"/api/v1/jobs/{job_id}", headers=auth(token), status=status).json


@QUEUES
def test_a_job_runs_through_the_queue_and_reports_its_result(demo_app: Callable[..., TestApp], queue_kind: str) -> None:
    app = demo_app(**queue_settings(queue_kind))
    token = new_client(app)
    job_id = queue(app, token, "demo.add", a=2, b=3)
    queued = job(app, token, job_id)
    assert queued["state"] == "queued" and queued["progress"] == 0 and queued["started_at"] is None
    assert queued["params"] == {"a": 2, "b": 3}
    assert queued["name"] == queued["kind"] == "demo.add"
    assert run_jobs(app) == 1
    done = job(app, token, job_id)
    assert done["state"] == "done" and done["progress"] == 1.0 and done["message"] == "adding"
    # the job read the committed data of the request that queued it (its contributor exists)
    assert done["result"] == {"sum": 5, "contributors": 1, "job_id": job_id}
    assert done["error"] is None
    assert done["enqueued_at"] <= done["started_at"] <= done["finished_at"]
    me = app.get("/api/v1/me", headers=auth(token)).json["id"]
    assert done["created_by"] == me
    assert run_jobs(app) == 0  # nothing left, and a finished job never runs twice


@QUEUES
def test_progress_is_visible_over_http_while_the_job_runs(demo_app: Callable[..., TestApp], tmp_path: Path,
                                                          queue_kind: str) -> None:
    app = demo_app(**queue_settings(queue_kind))
    token = new_client(app)
    gate = tmp_path / "gate"
    job_id = queue(app, token, "demo.gate", gate=str(gate))
    worker = threading.Thread(target=run_jobs, args=(app,))
    worker.start()
    try:
        running = wait_for_job(app, job_id, timeout=20, states=("running",))
        deadline = time.monotonic() + 20
        while (running := job(app, token, job_id))["progress"] != 0.25 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert running["state"] == "running" and running["message"] == "waiting for the gate"
        assert running["started_at"] is not None and running["finished_at"] is None
        app.get("/api/v1/info", status=200)  # requests are served while it runs
        new_client(app)
    finally:
        gate.touch()
        worker.join(timeout=30)
    assert job(app, token, job_id)["state"] == "done"
    assert job(app, token, job_id)["result"] == {"gate": "open"}


@QUEUES
def test_a_failing_job_is_recorded_with_its_error_and_the_next_job_still_runs(
        demo_app: Callable[..., TestApp], queue_kind: str) -> None:
    app = demo_app(**queue_settings(queue_kind))
    token = new_client(app)
    failing = queue(app, token, "demo.fail")
    after = queue(app, token, "demo.add", a=1, b=1)
    assert run_jobs(app) == 2
    failed = job(app, token, failing)
    assert failed["state"] == "failed" and failed["error"] == "ValueError: boom"
    assert failed["message"] == "about to fail" and failed["result"] is None and failed["finished_at"]
    assert job(app, token, after)["state"] == "done"
    app.get("/api/v1/info", status=200)


@pytest.mark.parametrize(("how", "error"), [
    ("progress", "ValueError: progress must be a number from 0 to 1, not 1.5"),
    ("result", "TypeError: a job's params and result must be JSON values: "
               "Object of type object is not JSON serializable"),
])
def test_a_job_that_misuses_its_context_or_result_fails_clearly(demo_app: Callable[..., TestApp], how: str,
                                                                error: str) -> None:
    app = demo_app()
    token = new_client(app)
    job_id = queue(app, token, "demo.misbehave", how=how)
    run_jobs(app)
    failed = job(app, token, job_id)
    assert (failed["state"], failed["error"], failed["result"]) == ("failed", error, None)


def test_a_job_whose_plugin_is_not_enabled_where_it_runs_fails(demo_app: Callable[..., TestApp],
                                                               app_factory: Callable[..., TestApp]) -> None:
    app = demo_app()
    token = new_client(app)
    job_id = queue(app, token, "demo.add", a=1, b=2)
    # a second app on the same database and queue, without the demo plugin, takes the job
    settings = app.app.registry.settings
    other = app_factory(**{"sqlalchemy.url": settings["sqlalchemy.url"],
                           "imagemonkey.data_dir": settings["imagemonkey.data_dir"]})
    assert run_jobs(other) == 1
    failed = job(app, token, job_id)
    assert failed["state"] == "failed"
    assert failed["error"] == "UnknownJob: no job named 'demo.add' is registered where it ran"


def test_a_job_that_cannot_be_queued_is_failed_not_left_queued(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app(**{"imagemonkey.jobs": "redis://127.0.0.1:9/0"})  # nothing listens on the discard port
    token = new_client(app)
    job_id = queue(app, token, "demo.add", a=1, b=2)  # the request itself succeeds: its data is committed
    settle_now(app)  # the sender thread has tried to send the message
    failed = job(app, token, job_id)
    assert failed["state"] == "failed" and failed["error"].startswith("QueueError: ConnectionError")


def test_a_job_queued_by_a_request_that_fails_never_exists(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app()
    token = new_client(app)
    answer = app.post_json("/api/v1/demo/jobs", {"name": "demo.add", "params": {"a": 1, "b": 2}, "then_fail": True},
                           headers=auth(token), status=409)
    assert answer.json["error"]["code"] == "demo_failed"
    assert run_jobs(app) == 0
    with app.app.registry["dbsession_factory"]() as session:
        assert session.scalars(select(Job)).all() == []


def test_enqueue_with_a_registry_commits_at_once(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app()
    moderator = new_moderator(app)
    job_id = enqueue_job(app.app.registry, "demo.add", a=20, b=22)
    assert job(app, moderator, job_id)["state"] == "queued"
    assert run_jobs(app) == 1
    done = job(app, moderator, job_id)
    assert done["result"]["sum"] == 42 and done["created_by"] is None


@QUEUES
def test_a_delayed_job_waits_for_its_time(demo_app: Callable[..., TestApp], queue_kind: str) -> None:
    app = demo_app(**queue_settings(queue_kind))
    moderator = new_moderator(app)
    job_id = enqueue_job(app.app.registry, "demo.add", delay=0.5, a=1, b=2)
    assert run_jobs(app) == 0  # not due: back on huey's schedule
    assert job(app, moderator, job_id)["state"] == "queued"
    time.sleep(0.6)
    assert run_jobs(app) == 1
    assert job(app, moderator, job_id)["state"] == "done"


def test_enqueue_refuses_unknown_names_and_non_json_params(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app()
    with pytest.raises(ValueError, match="unknown job 'demo.nope'"):
        enqueue_job(app.app.registry, "demo.nope")
    with pytest.raises(TypeError, match="JSON"):
        enqueue_job(app.app.registry, "demo.add", a=object(), b=1)
    with pytest.raises(ValueError, match="delay"):
        enqueue_job(app.app.registry, "demo.add", delay=-1, a=1, b=1)
    with app.app.registry["dbsession_factory"]() as session:
        assert session.scalars(select(Job)).all() == []


def test_immediate_mode_runs_the_job_once_the_request_commits(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app(**{"imagemonkey.jobs": "immediate"})
    token = new_client(app)
    job_id = queue(app, token, "demo.add", a=4, b=5)
    assert job(app, token, job_id)["result"]["sum"] == 9


def test_periodic_jobs_run_through_huey_periodic_tasks(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app()
    huey = job_queue(app.app.registry).huey
    due = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # minute 29,932,560 since 1970: even, so demo.tick is due
    resend = "imagemonkey.resend_unsent"  # core's re-send of lost messages, every minute
    assert [task.name for task in huey.read_periodic(due)] == ["imagemonkey.periodic.demo.tick", resend]
    assert [task.name for task in huey.read_periodic(datetime(2026, 11, 29, 12, 1, tzinfo=UTC))] == [resend]
    for task in huey.read_periodic(due):
        huey.execute(task)
    moderator = new_moderator(app)
    jobs = app.get("/api/v1/jobs", {"name": "demo.tick"}, headers=auth(moderator)).json["jobs"]
    assert [(j["state"], j["result"], j["created_by"]) for j in jobs] == [("done", {"ticked": True}, None)]


@pytest.mark.parametrize(("keep_days", "left"), [("30", ["recent", "old-queued"]),
                                                  ("0", ["old-done", "old-failed", "recent", "old-queued"])])
def test_core_prunes_finished_jobs_after_keep_days(demo_app: Callable[..., TestApp], keep_days: str,
                                                   left: list[str]) -> None:
    app = demo_app(**{"imagemonkey.jobs.keep_days": keep_days})
    now = datetime.now(UTC)
    rows = {"old-done": ("done", now - timedelta(days=40)), "old-failed": ("failed", now - timedelta(days=31)),
            "recent": ("done", now - timedelta(days=29)), "old-queued": ("queued", None)}
    with app.app.registry["dbsession_factory"]() as session:
        for message, (state, finished) in rows.items():
            session.add(Job(name="demo.add", state=state, progress=0.0, message=message, params={},
                            enqueued_at=now - timedelta(days=50), finished_at=finished))
        session.commit()
    moderator = new_moderator(app)
    job_id = enqueue_job(app.app.registry, "core.prune_jobs")
    assert run_jobs(app) == 1
    assert job(app, moderator, job_id)["result"] == {"deleted": 4 - len(left)}
    listed = app.get("/api/v1/jobs", {"name": "demo.add"}, headers=auth(moderator)).json["jobs"]
    assert sorted(j["message"] for j in listed) == sorted(left)


def test_core_prune_is_periodic_daily_at_midnight(demo_app: Callable[..., TestApp]) -> None:
    huey = job_queue(demo_app().app.registry).huey
    midnight = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    assert "imagemonkey.periodic.core.prune_jobs" in [task.name for task in huey.read_periodic(midnight)]
    assert "imagemonkey.periodic.core.prune_jobs" not in [
        task.name for task in huey.read_periodic(midnight + timedelta(minutes=2))]


def test_job_spec_checks_its_name_and_period() -> None:
    def run(ctx: Any) -> None:
        return None

    for name in ("Report.screen", "report screen", "", "report..screen", "x" * 129):
        with pytest.raises(ValueError, match="job name"):
            JobSpec(name, run)
    for seconds in (0, 30, 90):
        with pytest.raises(ValueError, match="every_seconds"):
            JobSpec("demo.tick", run, every_seconds=seconds)
    assert JobSpec("demo.tick", run, every_seconds=3600).every_seconds == 3600


@pytest.mark.parametrize(("key", "value"), [("imagemonkey.jobs", "ftp://queue"),
                                            ("imagemonkey.jobs.queue", "no spaces please"),
                                            ("imagemonkey.jobs.keep_days", "a month"),
                                            ("imagemonkey.jobs.keep_days", "-1"),
                                            ("imagemonkey.jobs.workers", "many"),
                                            ("imagemonkey.jobs.workers", "-1")])
def test_bad_job_settings_stop_start_up(app_factory: Callable[..., TestApp], key: str, value: str) -> None:
    with pytest.raises(ValueError, match=key.replace(".", r"\.")):
        app_factory(**{key: value})


# -- who may see what --------------------------------------------------------------------------------------------------


def test_a_job_is_visible_to_its_creator_and_moderators_only(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app()
    creator, other, moderator = new_client(app), new_client(app), new_moderator(app)
    job_id = queue(app, creator, "demo.add", a=1, b=2)
    assert job(app, creator, job_id)["id"] == job_id
    assert job(app, moderator, job_id)["id"] == job_id
    assert job(app, other, job_id, status=404)["error"]["code"] == "not_found"
    assert app.get(f"/api/v1/jobs/{job_id}", status=401).json["error"]["code"] == "unauthenticated"
    assert app.get("/api/v1/jobs", headers=auth(creator), status=403).json["error"]["code"] == "forbidden"
    assert app.get("/api/v1/jobs", status=401).json["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("raw", ["abc", "1.5", "-1", "0x10", "99999999999999999999", "999999999999999999",
                                 "2147483648", "%C2%B2", "%D9%A1", "424242"])
def test_bad_or_unknown_job_ids_are_404_json(demo_app: Callable[..., TestApp], raw: str) -> None:
    app = demo_app()
    moderator = new_moderator(app)
    answer = app.get(f"/api/v1/jobs/{raw}", headers=auth(moderator), status=404)
    assert answer.json["error"]["code"] == "not_found"


def test_jobs_answer_405_to_other_methods(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app()
    moderator = new_moderator(app)
    assert app.post("/api/v1/jobs/1", headers=auth(moderator), status=405).json["error"]["code"] == "method_not_allowed"
    assert app.delete("/api/v1/jobs", headers=auth(moderator), status=405).headers["Allow"] == "GET"


def test_moderators_list_jobs_filtered_and_paginated(demo_app: Callable[..., TestApp]) -> None:
    app = demo_app()
    token, moderator = new_client(app), new_moderator(app)
    first = queue(app, token, "demo.add", a=1, b=1)
    failing = queue(app, token, "demo.fail")
    run_jobs(app)
    last = queue(app, token, "demo.add", a=2, b=2)
    listed = app.get("/api/v1/jobs", headers=auth(moderator)).json
    assert [j["id"] for j in listed["jobs"]] == [last, failing, first] and listed["next_cursor"] is None
    by_state = app.get("/api/v1/jobs", {"state": "done"}, headers=auth(moderator)).json["jobs"]
    assert [j["id"] for j in by_state] == [first]
    by_name = app.get("/api/v1/jobs", {"name": "demo.add"}, headers=auth(moderator)).json["jobs"]
    assert [j["id"] for j in by_name] == [last, first]
    both = app.get("/api/v1/jobs", {"name": "demo.add", "state": "queued"}, headers=auth(moderator)).json["jobs"]
    assert [j["id"] for j in both] == [last]
    assert app.get("/api/v1/jobs", {"state": "failed"}, headers=auth(moderator)).json["jobs"][0]["error"] == \
        "ValueError: boom"
    seen, cursor = [], None
    while True:
        params = {"limit": "1", **({"cursor": cursor} if cursor else {})}
        page = app.get("/api/v1/jobs", params, headers=auth(moderator)).json
        seen += [j["id"] for j in page["jobs"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [last, failing, first]


@pytest.mark.parametrize(("params", "code"), [({"state": "finished"}, "invalid_state"),
                                              ({"state": ""}, "invalid_state"),
                                              ({"name": "Demo Add"}, "invalid_name"),
                                              ({"name": "x" * 200}, "invalid_name"),
                                              ({"limit": "0"}, "invalid_limit"),
                                              ({"limit": "lots"}, "invalid_limit"),
                                              ({"cursor": "%%%"}, "invalid_cursor"),
                                              ({"cursor": "InRleHQi"}, "invalid_cursor")])
def test_bad_list_parameters_are_400_json(demo_app: Callable[..., TestApp], params: dict[str, str],
                                          code: str) -> None:
    app = demo_app()
    moderator = new_moderator(app)
    answer = app.get("/api/v1/jobs", params, headers=auth(moderator), status=400)
    assert answer.json["error"]["code"] == code


# -- imagemonkey worker: refusals (the worker at work is in test_jobs_live.py) -----------------------------------------


def test_worker_refuses_a_bad_thread_count_and_the_immediate_queue(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "data"), "--plugins", ""]
    assert main(["worker", *data, "--workers", "0"]) == 2
    assert "--workers must be between 1 and 64" in capsys.readouterr().err
    ini = tmp_path / "immediate.ini"
    ini.write_text(f"[app:main]\nuse = egg:imagemonkey\nimagemonkey.data_dir = {tmp_path / 'data'}\n"
                   "imagemonkey.jobs = immediate\n")
    assert main(["worker", "--config", str(ini)]) == 2
    assert "there is no queue for a worker" in capsys.readouterr().err
