"""Where a write's CPU goes: the app alone (no HTTP server), per request, beside the stock app.

Run from the repository root::

    .venv/bin/python bench/bench_write_cpu.py [--requests 3000] [--rounds 3] [--databases sqlite,postgresql]

The HTTP benchmarks (``bench_core_http``, ``bench_validate_votes``) compare requests/s through
waitress, where every case also pays the server's own per-request work (parsing, threads
handing requests and the interpreter lock to each other), the same for all of them. This one
calls each WSGI app directly from one thread, so the figures are the apps' own CPU:

- ``stock``: the stock Pyramid + pyramid_tm + zope.sqlalchemy app inserting one ORM object
  (``common.STOCK_APP``, the same code the HTTP benchmarks serve);
- ``suggestions_post``: POST /api/v1/label-suggestions (core only), names drawn from 1,000;
- ``vote_post``: POST /api/v1/image-labels/{id}/votes (validate), the vote benchmark's 2,000
  requests on its seeded database, with the settler thread running as in ``imagemonkey serve``:
  ``vote_post`` is the whole process's CPU per vote, ``vote_request`` the request thread's
  alone, ``vote_settlement`` the difference (the settler's share, which the HTTP benchmark's
  vote figure includes). Settlement is drained after each round so every round settles its
  own votes.

CPU is ``time.process_time`` / ``time.thread_time`` (not wall time), median over rounds, the
cases interleaved round by round. Prints JSON lines: each case's microseconds per request and
``stock`` over each case (the app-level counterpart of the HTTP benchmarks' ratio to stock).
"""
from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_validate_votes import seed_votes
from common import STOCK_APP, bench_settings, emitter, for_each_database

from imagemonkey.app import make_app

emit = emitter("write_cpu")
Request = tuple[str, dict[str, Any], str | None]


def stock_app(url: str) -> Any:
    """The HTTP benchmarks' stock app, built but not served."""
    module = types.ModuleType("bench_stock_app")
    sys.modules[module.__name__] = module
    saved, sys.argv = sys.argv, ["stock", "0", "8", url]
    try:
        exec(STOCK_APP.split('print("stock app serving"')[0], module.__dict__)  # noqa: S102 (our own bench code)
    finally:
        sys.argv = saved
    return module.app


def environ(path: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
    """A WSGI environ for a JSON POST from 127.0.0.1."""
    data = json.dumps(body).encode()
    env = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
           "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "6543", "SERVER_PROTOCOL": "HTTP/1.1",
           "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data)),
           "CONTENT_TYPE": "application/json", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:6543",
           "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
           "wsgi.run_once": False, "wsgi.version": (1, 0)}
    if token:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return env


def drain(app: Any) -> None:
    """Let the app's background workers finish (validate's settler settles what is queued)."""
    for worker in app.registry.get("imagemonkey.background", ()):
        worker.drain()


def call(app: Any, request: Request) -> tuple[str, bytes]:
    """One request through the WSGI app; returns its status line and body."""
    path, body, token = request
    status: list[str] = []
    payload = b"".join(app(environ(path, body, token), lambda line, _headers, _exc=None: status.append(line)))
    return status[0], payload


def cpu_per_request(app: Any, requests: list[Request], count: int) -> tuple[float, float]:
    """(process CPU, this thread's CPU) per request in microseconds over ``count`` requests; fails on a non-2xx."""
    process, thread = time.process_time(), time.thread_time()
    for index in range(count):
        status, payload = call(app, requests[index % len(requests)])
        if not status.startswith("2"):
            raise RuntimeError(f"{requests[index % len(requests)][0]} answered {status}: {payload[:300]!r}")
    return ((time.process_time() - process) / count * 1e6, (time.thread_time() - thread) / count * 1e6)


def run_database(args: argparse.Namespace, database: str, folder: Path, url: str) -> None:
    """Build the three apps on ``url`` and print the figures for ``database``."""
    votes = [(path, {"vote": vote}, token) for path, token, vote in seed_votes(folder, url)]
    validate = make_app({**bench_settings(folder, url), "imagemonkey.plugins": "validate"})
    core = make_app(bench_settings(folder, url))
    stock = stock_app(url)
    _, body = call(core, ("/api/v1/clients", {}, None))
    token = json.loads(body)["token"]
    rng = random.Random(5)
    suggestions = [("/api/v1/label-suggestions", {"name": f"bench suggestion {rng.randrange(1000):04d}"}, token)
                   for _ in range(2000)]
    cases: dict[str, tuple[Any, list[Request], Callable[[], None]]] = {
        "stock": (stock, suggestions, lambda: None),
        "suggestions_post": (core, suggestions, lambda: None),
        "vote_post": (validate, votes, lambda: drain(validate)),
    }
    for app, requests, after in cases.values():  # warm up: caches, pools, compiled statements
        cpu_per_request(app, requests, 200)
        after()
    runs: dict[str, list[tuple[float, float]]] = {case: [] for case in cases}
    for _ in range(args.rounds):
        for case, (app, requests, after) in cases.items():
            runs[case].append(cpu_per_request(app, requests, args.requests))
            after()
    stock_us = statistics.median(process for process, _ in runs["stock"])
    figures = {
        "stock": stock_us,
        "suggestions_post": statistics.median(process for process, _ in runs["suggestions_post"]),
        "vote_post": statistics.median(process for process, _ in runs["vote_post"]),
        "vote_request": statistics.median(thread for _, thread in runs["vote_post"]),
    }
    figures["vote_settlement"] = statistics.median(process - thread for process, thread in runs["vote_post"])
    for case, value in figures.items():
        emit(f"{case}_cpu_per_request", round(value, 1), "us", database=database, requests=args.requests,
             rounds=args.rounds)
    for case in ("suggestions_post", "vote_post", "vote_request"):
        emit(f"stock_to_{case}_cpu_ratio", round(stock_us / figures[case], 3), "ratio", database=database)


def main(argv: list[str] | None = None) -> int:
    """Run every database and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per case and round (default 3000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all cases (median; default 3)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server URL (a database of the benchmark's own is created and dropped)")
    args = parser.parse_args(argv)
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    for_each_database(args, "cpu", lambda database, folder, url: run_database(
        args, database, folder, url or f"sqlite:///{folder / 'bench.sqlite'}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
