"""What sharing per-site state through Redis costs a request: the same app with its state in the process or in Redis.

Run from the repository root::

    .venv/bin/python bench/bench_shared_state.py [--requests 2000] [--rounds 3] [--databases sqlite,postgresql]
        [--redis redis://127.0.0.1:6379/11]

Two apps on one database, with the issue's default limits switched on (high enough never to refuse):
``local`` keeps rate limits and the identity cache in the process (``imagemonkey.shared_state = local``),
``shared`` keeps them in Redis (every /api/ request takes a token from the per-address bucket, every
write one from the per-token bucket, and every authenticated request reads the identity cache's
generation: one to three Redis round trips). Each WSGI app is called directly from one thread
(``bench_write_cpu``'s harness), the cases interleaved round by round: wall time and process CPU per
request from one thread (a Redis round trip is mostly waiting: on a loaded machine the wait is the
scheduler's, not Redis's), and requests/s from 8 threads at once as ``imagemonkey serve``'s waitress runs
them (a thread waiting on Redis leaves the interpreter to the others). Medians over rounds, and
``shared`` over ``local`` (the issue's target: sharing costs at most 5% of throughput).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from bench_write_cpu import Request, call
from common import bench_settings, emitter, for_each_database

from imagemonkey.app import make_app

emit = emitter("shared_state")
THREADS = 8
LIMITS = {"imagemonkey.rate_limit.requests": "1000000/minute", "imagemonkey.rate_limit.writes": "1000000/minute",
          "imagemonkey.rate_limit.clients": "1000/minute"}


def run_requests(app: Any, requests: list[Request], count: int, offset: int = 0) -> None:
    """``count`` requests through the WSGI app; fails on a non-2xx."""
    for index in range(offset, offset + count):
        status, payload = call(app, requests[index % len(requests)])
        if not status.startswith("2"):
            raise RuntimeError(f"{requests[index % len(requests)][0]} answered {status}: {payload[:300]!r}")


def per_request(app: Any, requests: list[Request], count: int) -> tuple[float, float]:
    """(wall, process CPU) per request in microseconds over ``count`` requests from this thread."""
    wall, cpu = time.perf_counter(), time.process_time()
    run_requests(app, requests, count)
    return (time.perf_counter() - wall) / count * 1e6, (time.process_time() - cpu) / count * 1e6


def threaded_rps(app: Any, requests: list[Request], count: int, threads: int = THREADS) -> float:
    """Requests/s of ``count`` requests from ``threads`` threads at once."""
    share = count // threads
    workers = [threading.Thread(target=run_requests, args=(app, requests, share, n * share)) for n in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return share * threads / (time.perf_counter() - start)


def run_database(args: argparse.Namespace, database: str, folder: Path, url: str | None) -> None:
    """Build the local and the shared app on one database and print the figures for ``database``."""
    from imagemonkey.cli.common import migrate

    base = {**bench_settings(folder, url), **LIMITS}
    migrate(base)
    apps = {
        "local": make_app({**base, "imagemonkey.shared_state": "local"}),
        "shared": make_app({**base, "imagemonkey.shared_state": args.redis,
                            "imagemonkey.jobs.queue": f"bench-{uuid.uuid4().hex[:8]}"}),
    }
    assert apps["shared"].registry["shared_state"] is not None
    _, body = call(apps["local"], ("/api/v1/clients", {}, None))
    token = json.loads(body)["token"]
    rng = random.Random(5)
    writes = [("/api/v1/label-suggestions", {"name": f"bench suggestion {rng.randrange(1000):04d}"}, token)
              for _ in range(2000)]
    for app in apps.values():  # warm up: caches, pools, compiled statements, the Lua script
        run_requests(app, writes, 200)
    serial: dict[str, list[tuple[float, float]]] = {case: [] for case in apps}
    threaded: dict[str, list[float]] = {case: [] for case in apps}
    for _ in range(args.rounds):
        for case, app in apps.items():
            serial[case].append(per_request(app, writes, args.requests))
            threaded[case].append(threaded_rps(app, writes, args.requests))
    extra = {"database": database, "requests": args.requests, "rounds": args.rounds}
    wall = {case: statistics.median(w for w, _ in runs) for case, runs in serial.items()}
    cpu = {case: statistics.median(c for _, c in runs) for case, runs in serial.items()}
    rps = {case: statistics.median(runs) for case, runs in threaded.items()}
    for case in apps:
        emit(f"suggestions_post_{case}_wall_per_request", round(wall[case], 1), "us", **extra)
        emit(f"suggestions_post_{case}_cpu_per_request", round(cpu[case], 1), "us", **extra)
        emit(f"suggestions_post_{case}_rps_{THREADS}_threads", round(rps[case], 1), "req/s",
             runs=[round(r, 1) for r in threaded[case]], **extra)
    emit("shared_to_local_wall_ratio", round(wall["shared"] / wall["local"], 3), "ratio", database=database)
    emit("shared_to_local_cpu_ratio", round(cpu["shared"] / cpu["local"], 3), "ratio", database=database)
    emit("shared_to_local_rps_ratio", round(rps["shared"] / rps["local"], 3), "ratio", target_min=0.95,
         database=database, threads=THREADS)


def main(argv: list[str] | None = None) -> int:
    """Run every database and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per case and round (default 2000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (median; default 3)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server URL (a throw-away database is made there)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11", help="the Redis for shared state")
    args = parser.parse_args(argv)
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    for_each_database(args, "shared_state", lambda database, folder, url: run_database(args, database, folder, url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
