"""A public profile (``GET /api/v1/people/{name}`` and the page ``/people/<name>``) at 10,000 and 1,000,000
contributions in the log.

Dataset: a fresh core-only app (SQLite built with the real migrations; ``--postgres URL`` runs it on a throw-away
PostgreSQL database as well): 1,000 accounts, the profiled one writing a fifth of everything, spread over the
last year and five kinds, inserted with bulk ``INSERT`` statements (not through HTTP); then the person counters
filled from the log as ``stats verify --repair`` would (one ``GROUP BY`` each). A profile reads only counters,
so the figure should not grow with the log. Target: under 50 ms at 1M. JSON lines.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import emitter, postgres_database
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.db.transactions import mark_changed
from imagemonkey.scripting import app_request
from imagemonkey.services.person_counters import week_of

emit = emitter("profile")
SETTINGS = {"imagemonkey.rate_limit.clients": "off", "imagemonkey.rate_limit.writes": "off",
            "imagemonkey.rate_limit.requests": "off", "imagemonkey.moderation": "post", "imagemonkey.plugins": ""}
KINDS = ["image.donate", "label.add", "validate.vote", "annotate.revision", "report.report"]
LABELS = [f"label{n}" for n in range(200)]
PEOPLE = 1_000
CHUNK = 50_000
DAY = "substr(CAST(created_at AS VARCHAR), 1, 10)"


def build_app(folder: Path, url: str) -> Any:
    engine = make_engine(url)
    upgrade(engine, [])
    engine.dispose()
    return make_app({**SETTINGS, "imagemonkey.data_dir": str(folder), "sqlalchemy.url": url})


def fill(app: Any, size: int, seed: int = 5) -> None:
    """``size`` log entries by ``PEOPLE`` accounts (the first, ``busy``, writes a fifth), then the counters."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with app_request(app.registry) as request:
        connection = request.dbsession.connection()
        connection.execute(text(
            "INSERT INTO contributor (id, kind, name, role, blocked, created_at, public_profile, top_list) "
            "VALUES (:id, 'account', :name, 'contributor', false, :now, true, true)"),
            [{"id": n, "name": "busy" if n == 1 else f"person{n}", "now": now} for n in range(1, PEOPLE + 1)])
        for start in range(0, size, CHUNK):
            connection.execute(text(
                "INSERT INTO contribution (contributor_id, kind, target_id, created_at, reverted, label) "
                "VALUES (:who, :kind, :target, :at, false, :label)"),
                [{"who": 1 if rng.random() < 0.2 else rng.randint(2, PEOPLE), "kind": rng.choice(KINDS),
                  "target": str(n), "at": now - timedelta(seconds=rng.randint(0, 365 * 86400)),
                  "label": rng.choice(LABELS)}
                 for n in range(start, min(size, start + CHUNK))])
        connection.execute(text(
            f"INSERT INTO person_daily (contributor_id, day, kind, count) SELECT contributor_id, {DAY}, kind, "
            f"count(*) FROM contribution GROUP BY contributor_id, {DAY}, kind"))
        connection.execute(text("INSERT INTO person_total (contributor_id, kind, count) SELECT contributor_id, kind, "
                                "sum(count) FROM person_daily GROUP BY contributor_id, kind"))
        connection.execute(text("INSERT INTO person_label (contributor_id, label, count) SELECT contributor_id, label, "
                                "count(*) FROM contribution GROUP BY contributor_id, label"))
        label_weeks: Counter[tuple[int, str, str]] = Counter()
        for who, day, label, count in connection.execute(text(
                f"SELECT contributor_id, {DAY}, label, count(*) FROM contribution "
                f"GROUP BY contributor_id, {DAY}, label")):
            label_weeks[(who, week_of(day), label)] += int(count)
        connection.execute(text("INSERT INTO person_label_week (contributor_id, week, label, count) "
                                "VALUES (:who, :w, :label, :n)"),
                           [{"who": who, "w": week, "label": label, "n": n}
                            for (who, week, label), n in label_weeks.items()])
        weeks: Counter[tuple[str, int]] = Counter()
        kind_weeks: Counter[tuple[int, str, str]] = Counter()
        for who, day, kind, count in connection.execute(text(
                "SELECT contributor_id, day, kind, count FROM person_daily")):
            weeks[(week_of(day), who)] += int(count)
            kind_weeks[(who, week_of(day), kind)] += int(count)
        connection.execute(text("INSERT INTO person_week (week, contributor_id, count) VALUES (:w, :who, :n)"),
                           [{"w": week, "who": who, "n": n} for (week, who), n in weeks.items()])
        connection.execute(text("INSERT INTO person_kind_week (contributor_id, week, kind, count) "
                                "VALUES (:who, :w, :kind, :n)"),
                           [{"who": who, "w": week, "kind": kind, "n": n}
                            for (who, week, kind), n in kind_weeks.items()])
        mark_changed(request.dbsession)


def median_ms(client: TestApp, path: str, repeat: int, warmup: int = 5) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``GET path`` in this process (CPU: less bent by a busy machine; on
    SQLite it includes the queries, on PostgreSQL not the server's share)."""
    walls, cpus = [], []
    for i in range(warmup + repeat):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        client.get(path, status=200)
        if i >= warmup:
            walls.append((time.perf_counter() - begin) * 1000)
            cpus.append((time.process_time() - begin_cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def measure(size: int, repeat: int, database: str, url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        begin = time.perf_counter()
        fill(app, size)
        built = time.perf_counter() - begin
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        profile = client.get("/api/v1/people/busy").json
        assert sum(profile["counts"].values()) > size // 6, profile["counts"]
        api, api_cpu = median_ms(client, "/api/v1/people/busy", repeat)
        page, page_cpu = median_ms(client, "/people/busy", repeat)
        app.registry["db_engine"].dispose()
    emit("api_person", round(api, 3), "ms", contributions=size, database=database, target_max=50)
    emit("person_page", round(page, 3), "ms", contributions=size, database=database, target_max=50)
    emit("api_person_cpu", round(api_cpu, 3), "ms", contributions=size, database=database)
    emit("person_page_cpu", round(page_cpu, 3), "ms", contributions=size, database=database)
    emit("dataset_build", round(built, 1), "s", contributions=size, database=database)
    return {"api": api, "page": page}


def run(database: str, small: int, large: int, repeat: int, postgres: str | None) -> None:
    """Both sizes, each on a fresh database (a throw-away PostgreSQL one with ``postgres``)."""
    def one(size: int) -> dict[str, float]:
        if postgres is None:
            return measure(size, repeat, database, None)
        with postgres_database(postgres, "wt_profiles_bench") as url:
            return measure(size, repeat, database, url)

    low, high = one(small), one(large)
    emit("ratio_api_large_to_small", round(high["api"] / low["api"], 2), "x", small=small, large=large,
         database=database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", help="also on PostgreSQL: a server URL (a throw-away database is made)")
    args = parser.parse_args()
    run("sqlite", args.small, args.large, args.repeat, None)
    if args.postgres:
        run("postgresql", args.small, args.large, args.repeat, args.postgres)
    return 0


if __name__ == "__main__":
    sys.exit(main())
