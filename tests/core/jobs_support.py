"""A tiny plugin with jobs, installed for real (entry point) so in-process apps and subprocesses load it alike.

Its jobs: ``demo.add`` (progress, a read through ``ctx.request()``, a result), ``demo.fail``
(raises), ``demo.gate`` (reports progress, then waits until a file exists), ``demo.misbehave``
(a progress out of range, or a result JSON cannot hold), ``demo.count`` (appends its id to a file, one
line per run), ``demo.touch`` (a locked read and a write, as screening does), ``demo.flaky`` (a write to another
SQLite file that fails at once while that file is locked; 3 attempts) and the periodic ``demo.tick``.
``POST /api/v1/demo/jobs`` queues one for the caller (``{"name", "params"}``;
``"then_fail": true`` makes the request fail after queueing, so its transaction rolls back).
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from support import install_plugin, write_plugin

DEMO_PLUGIN = '''
import sqlite3
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from imagemonkey.auth import require_contributor
from imagemonkey.errors import ApiError
from imagemonkey.hookspecs import hookimpl
from imagemonkey.jobs import JobSpec, enqueue_job
from imagemonkey.models import Contributor
from imagemonkey.plugin import record_contribution
from imagemonkey.openapi import obj, op
from imagemonkey.views import json_body


def add(ctx, a, b):
    ctx.progress(0.5, "adding")
    with ctx.request() as request:
        contributors = request.dbsession.scalar(select(func.count()).select_from(Contributor))
    return {"sum": a + b, "contributors": contributors, "job_id": ctx.job_id}


def fail(ctx):
    ctx.progress(0.1, "about to fail")
    raise ValueError("boom")


def gate(ctx, gate):
    ctx.progress(0.25, "waiting for the gate")
    deadline = time.monotonic() + 60
    while not Path(gate).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the gate never opened")
        time.sleep(0.02)
    ctx.progress(0.75, "through the gate")
    return {"gate": "open"}


def count(ctx, path):
    with open(path, "a") as runs:  # one line per run of this job
        runs.write(ctx.job_id + "\\n")
    return {"runs": Path(path).read_text().count("\\n")}


def tick(ctx):
    return {"ticked": True}


def flaky(ctx, path):
    """A write to another SQLite file that does not wait: "database is locked" while a test holds that file."""
    connection = sqlite3.connect(path, timeout=0)
    try:
        connection.execute("INSERT INTO runs VALUES (?)", (ctx.attempt,))
        connection.commit()
    finally:
        connection.close()
    return {"attempt": ctx.attempt}


def touch(ctx, contributor_id):
    """What a screening job does to the database: a locked read, then a write (and the job row's own writes)."""
    with ctx.request() as request:
        contributor = request.dbsession.get(Contributor, contributor_id, with_for_update=True)
        time.sleep(0.005)  # the routing's reads
        record_contribution(request, "demo.touch", ctx.job_id, contributor)
    return {"touched": contributor_id}


def misbehave(ctx, how):
    if how == "progress":
        ctx.progress(1.5, "too far")
    return {"not json": object()}


@hookimpl
def imagemonkey_jobs():
    return [JobSpec("demo.add", add), JobSpec("demo.fail", fail), JobSpec("demo.gate", gate, lease_seconds=2),
            JobSpec("demo.misbehave", misbehave), JobSpec("demo.count", count),
            JobSpec("demo.tick", tick, every_seconds=120), JobSpec("demo.touch", touch),
            JobSpec("demo.flaky", flaky, max_attempts=3)]


@hookimpl
def imagemonkey_openapi_paths():
    return {"/api/v1/demo/jobs": {"post": op("Queue a demo job", auth=True, ok="201",
                                             body=obj(name={"type": "string"}, params={"type": "object"}))}}


def queue_job(request):
    require_contributor(request)
    body = json_body(request)
    job_id = enqueue_job(request, body["name"], **body.get("params", {}))
    if body.get("then_fail"):
        raise ApiError(409, "demo_failed", "failed after queueing")
    request.response.status = 201
    return {"job_id": job_id}


def includeme(config):
    config.add_hooks(sys.modules[__name__])
    config.add_api_route("demo.jobs", "/api/v1/demo/jobs")
    config.add_view(queue_job, route_name="demo.jobs", request_method="POST", renderer="json")
'''


def install_demo_plugin(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Install the ``demo`` plugin under ``root`` for this process and for its subprocesses (PYTHONPATH)."""
    write_plugin(root, "demo", DEMO_PLUGIN)
    install_plugin(monkeypatch, root)
    monkeypatch.setenv("PYTHONPATH", str(root))
    return root


REDIS_URL = os.environ.get("IMAGEMONKEY_TEST_REDIS", "redis://127.0.0.1:6379/2")


def redis_settings() -> dict[str, str]:
    """Settings for a queue in the test Redis under a name of its own; skips (fails on CI) when Redis is down."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis at {REDIS_URL} is not reachable ({exc}); set IMAGEMONKEY_TEST_REDIS to run these")
    return {"imagemonkey.jobs": REDIS_URL, "imagemonkey.jobs.queue": f"imtest-{uuid.uuid4().hex[:12]}"}


def queue_settings(kind: str) -> dict[str, str]:
    """App settings for the ``sqlite`` (embedded default) or ``redis`` queue."""
    return redis_settings() if kind == "redis" else {}
