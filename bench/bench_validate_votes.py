"""Vote throughput: POST /api/v1/image-labels/{id}/votes through `imagemonkey serve` vs the calibrated ladder.

Run from the repository root::

    .venv/bin/python bench/bench_validate_votes.py [--duration 10] [--rounds 2] [--databases sqlite,postgresql]

For each database (SQLite in a temporary folder; PostgreSQL in a database of its own on
``--postgres``, dropped afterwards) the vote server is ``python -m imagemonkey serve --config
TMP/bench.ini`` (validate only, rate limits off, 8 threads) on a database seeded with 5,000 image
labels and 200 voters; each request is a random voter's yes/no on a random label (new votes and
replacements), 2,000 such requests rotated by a ``wrk -t2 -c8`` Lua script. Side by side,
interleaved round by round (``common.compared_servers``):

- ``bare``: a bare waitress app answering a constant JSON body (``common.BARE_APP``);
- ``stock``: the same POSTs to the stock Pyramid + pyramid_tm + zope.sqlalchemy app inserting one ORM
  object each, on the same database (``common.STOCK_APP``);
- ``bare_sqlite``: the same POSTs to a bare waitress app that writes to SQLite itself
  (``common.BARE_SQLITE_APP``), the ceiling for any Python app writing to SQLite behind this waitress.

Votes are settled off the request path by the server's settler thread, in the same process: its
CPU is part of what the vote's req/s pays. While the vote load runs, the age of the oldest vote
waiting for settlement (``min(pending_since)``) is sampled every 100 ms; its p99 and maximum are
printed as the settlement lag (an upper bound of each vote's own lag; target p99 <= 1 s).

Prints JSON lines (median over rounds, with ``database``): req/s of each, every case's ratio to
``bare`` and to ``stock`` (targets: vote >= 0.9 of stock on SQLite, >= 0.8 on PostgreSQL), the
settlement lag, and what is still pending after the load. Stops the servers and removes the
temporary folder (and database) at the end.
"""
from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_validate_crowd import build_app, seed
from common import (
    bench_settings,
    compared_servers,
    emit_ratios,
    emit_runs,
    emitter,
    for_each_database,
    lua_string,
    run_interleaved,
    throughput_options,
    write_ini,
)
from sqlalchemy import func, select

from imagemonkey.auth import issue_token
from imagemonkey.db.engine import make_engine
from imagemonkey.scripting import app_request
from imagemonkey_validate.models import Subject

emit = emitter("validate_votes")
CONNECTIONS = 8
TARGETS = {"vote_post": 0.25}
STOCK_TARGETS = {"sqlite": {"vote_post": 0.9}, "postgresql": {"vote_post": 0.8}}
LAG_TARGET_S = 1.0
SAMPLE_EVERY_S = 0.1


def seed_votes(folder: Path, url: str) -> list[tuple[str, str, str]]:
    """Seed the database at ``url``; returns 2,000 (path, token, vote) requests for the load."""
    app = build_app(folder, url=url)
    labels, people = seed(app, 5000, 200)
    with app_request(app.registry) as request:
        tokens = [issue_token(request.dbsession, request.dbsession.merge(person)) for person in people]
    app.registry["db_engine"].dispose()
    rng = random.Random(3)
    return [(f"/api/v1/image-labels/{rng.choice(labels)}/votes", rng.choice(tokens), rng.choice(["yes", "no"]))
            for _ in range(2000)]


def vote_script(requests: list[tuple[str, str, str]]) -> str:
    """A wrk script sending the requests in turn."""
    entries = ",".join("{" + ",".join(lua_string(v) for v in entry) + "}" for entry in requests)
    return f"""
local r = {{{entries}}}
local i = 0
function request()
  i = i % #r + 1
  return wrk.format("POST", r[i][1], {{["Authorization"] = "Bearer " .. r[i][2],
    ["Content-Type"] = "application/json"}}, '{{"vote": "' .. r[i][3] .. '", "name": "' .. r[i][1] .. '"}}')
end
"""


class LagSampler:
    """Samples the age of the oldest pending vote (seconds; 0 when nothing is pending) while switched on."""

    def __init__(self, url: str):
        self.engine = make_engine(url, pool_size=1, max_overflow=0)
        self.samples: list[float] = []

    def oldest_pending_age(self) -> float:
        with self.engine.connect() as connection:
            oldest = connection.execute(select(func.min(Subject.pending_since))).scalar()
        if oldest is None:
            return 0.0
        if isinstance(oldest, str):  # SQLite hands a bare aggregate back as text
            oldest = datetime.fromisoformat(oldest)
        return max(0.0, (datetime.now(UTC) - oldest.replace(tzinfo=oldest.tzinfo or UTC)).total_seconds())

    @contextmanager
    def sampling(self) -> Iterator[None]:
        stop = threading.Event()

        def run() -> None:
            while not stop.wait(SAMPLE_EVERY_S):
                self.samples.append(self.oldest_pending_age())

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


def run_database(args: Any, database: str, tmp: Path, url: str) -> None:
    """Seed, serve, run the cases interleaved and print the figures for one database."""
    script = vote_script(seed_votes(tmp, url))
    settings = {**bench_settings(tmp, url), "imagemonkey.plugins": "validate"}
    ini = write_ini(tmp / "bench.ini", settings)
    sampler = LagSampler(url)
    try:
        with compared_servers(ini, tmp, url) as ports:
            cases = {case: (f"http://127.0.0.1:{ports[server]}/", script) for case, server in (
                ("bare", "bare"), ("stock", "stock"), ("bare_sqlite", "bare_sqlite"), ("vote_post", "imagemonkey"))}
            results = run_interleaved(cases, tmp, rounds=args.rounds, duration_s=args.duration,
                                      connections=CONNECTIONS, around={"vote_post": sampler.sampling})
            time.sleep(1.0)
            left = sampler.oldest_pending_age()
    finally:
        sampler.engine.dispose()
    rps = {case: emit_runs(emit, case, runs, database=database, connections=CONNECTIONS, duration_s=args.duration,
                           rounds=args.rounds) for case, runs in results.items()}
    emit_ratios(emit, rps, "bare", TARGETS, database=database)
    emit_ratios(emit, rps, "stock", STOCK_TARGETS[database], database=database)
    samples = sorted(sampler.samples)
    emit("settlement_lag_p99", round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3), "s",
         target_max=LAG_TARGET_S, database=database, samples=len(samples), every_s=SAMPLE_EVERY_S)
    emit("settlement_lag_median", round(statistics.median(samples), 3), "s", database=database)
    emit("settlement_lag_max", round(samples[-1], 3), "s", database=database)
    emit("oldest_pending_1s_after_load", round(left, 3), "s", database=database)


def main(argv: list[str] | None = None) -> int:
    """Run every database and print the figures."""
    args = throughput_options(__doc__.splitlines()[0], argv)
    for_each_database(args, "votes", lambda database, tmp, url: run_database(
        args, database, tmp, url or f"sqlite:///{tmp / 'bench.sqlite'}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
