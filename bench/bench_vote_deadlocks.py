"""Deadlocks under batch votes: 8 threads x 40 ``POST /api/v1/votes`` on the same 4 labels, half in reverse order.

Run from the repository root::

    .venv/bin/python bench/bench_vote_deadlocks.py [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

The load of issue 21, item 6, on PostgreSQL (a throw-away database on ``--postgres``, dropped
afterwards): one app (validate only) built in this process, 8 threads each with its own WebTest
client and voter, each sending 40 batches of 4 votes on the same 4 image labels, threads with an
odd number in reverse order. Run twice: with ``retry.attempts = 1`` (what the database does: a
deadlock is a 500) and with the default 3 (what a client sees). Prints JSON lines: the answers by
status, the 5xx, and the deadlocks PostgreSQL counted (``pg_stat_database.deadlocks``) during each run.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import emitter, postgres_database
from PIL import Image
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade

THREADS, BATCHES, LABELS = 8, 40, 4


def picture(seed: int) -> bytes:
    """A small PNG, different per seed."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (seed * 37 % 256, seed * 91 % 256, seed * 13 % 256)).save(buffer, "PNG")
    return buffer.getvalue()


def deadlocks(app: TestApp) -> int:
    """PostgreSQL's count of deadlocks detected in the app's database so far."""
    with app.app.registry["db_engine"].connect() as connection:
        return int(connection.execute(text(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")).scalar())


def load(app: TestApp) -> tuple[Counter[int], float]:
    """The batch-vote load; returns the answers by status and the seconds it took."""
    def token() -> str:
        return app.post("/api/v1/clients", status=201).json["token"]

    donor = token()
    labels = []
    for seed in range(LABELS):
        image = app.post("/api/v1/images", params=[("label", "dog")], upload_files=[("image", f"{seed}.png",
                         picture(seed + int(time.time()) % 1000 * LABELS))],
                         headers={"Authorization": f"Bearer {donor}"}, status=201).json["image"]
        labels.append(image["labels"][0]["id"])
    voters = [token() for _ in range(THREADS)]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def voter(index: int) -> None:
        client = TestApp(app.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        order = labels if index % 2 == 0 else labels[::-1]
        start.wait()
        for batch in range(BATCHES):
            body = {"votes": [{"image_label_id": il, "vote": "yes" if (batch + index) % 2 else "no"} for il in order]}
            status = client.post_json("/api/v1/votes", body, headers={"Authorization": f"Bearer {voters[index]}"},
                                      status="*").status_int
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=voter, args=(index,)) for index in range(THREADS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, time.perf_counter() - began


def run(url: str, folder: Path, emit: Any) -> None:
    """Both runs on the database at ``url``."""
    engine = make_engine(url, pool_size=1, max_overflow=0)
    upgrade(engine, ["validate"])
    engine.dispose()
    for attempts in ("1", "3"):
        data = folder / f"data-{attempts}"
        data.mkdir()
        app = TestApp(make_app({"sqlalchemy.url": url, "imagemonkey.data_dir": str(data),
                                "imagemonkey.plugins": "validate", "imagemonkey.moderation": "post",
                                "imagemonkey.rate_limit.clients": "off", "imagemonkey.rate_limit.writes": "off",
                                "imagemonkey.rate_limit.requests": "off",
                                "imagemonkey.jobs": "immediate", "retry.attempts": attempts}),
                      extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        before = deadlocks(app)
        statuses, seconds = load(app)
        found = deadlocks(app) - before
        for worker in app.app.registry.get("imagemonkey.background", ()):
            worker.stop()
        app.app.registry["db_engine"].dispose()
        extra = {"database": "postgresql", "retry_attempts": int(attempts), "requests": THREADS * BATCHES}
        emit("answers_by_status", {str(status): n for status, n in sorted(statuses.items())}, "requests", **extra)
        emit("answers_5xx", sum(n for status, n in statuses.items() if status >= 500), "requests", **extra)
        emit("deadlocks_detected", found, "deadlocks", **extra)
        emit("load_seconds", round(seconds, 2), "s", **extra)


def main(argv: list[str] | None = None) -> int:
    """Run the load on a throw-away PostgreSQL database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server URL (a throw-away database is made on it)")
    args = parser.parse_args(argv)
    emit = emitter("vote_deadlocks")
    with tempfile.TemporaryDirectory() as tmp, postgres_database(args.postgres,
                                                                f"imagemonkey_bench_deadlocks_{os.getpid()}") as url:
        run(url, Path(tmp), emit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
