"""Benchmark (issue 3): 200 concurrent connections for 30 s against ImageMonkey on PostgreSQL.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust)::

    .venv/bin/python bench/bench_load.py [--duration 30] [--connections 200] [--images 200] [--serve-arg=--no-guard]

Creates the database ``imagemonkey_bench`` (dropped first if it exists, and at the end), writes
an ini (pool_size 10, max_overflow 5, rate limits off), runs ``imagemonkey db upgrade`` and
``imagemonkey serve`` with it, seeds distinct images through HTTP with a handful of tokens, then
drives ``wrk -t2 -c200`` with a Lua script cycling through the mix: GET /api/v1/tasks/next?kind=label,
GET /api/v1/images/{id}, GET /api/v1/images/{id}/file?size=thumb and POST /api/v1/images/{id}/labels,
the tokens taken in turn. While it runs, a thread counts the server's connections in
``pg_stat_activity`` every 100 ms.

Prints requests/s, answers per status class (target: 0 server errors; 204 from tasks is fine),
socket errors, the peak connection count (target: <= pool_size + max_overflow = 15), and the
server's RSS at start and end.
"""
from __future__ import annotations

import argparse
import io
import random
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

from common import (
    PYTHON,
    ROOT,
    api,
    bench_settings,
    emitter,
    free_port,
    imagemonkey_server,
    lua_list,
    new_token,
    rss_kib,
    run_wrk,
    write_ini,
)
from PIL import Image
from sqlalchemy import create_engine, text

emit = emitter("load")
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATABASE = "imagemonkey_bench"
POOL_SIZE, MAX_OVERFLOW = 10, 5
TOKENS = 6


def admin(statement: str) -> None:
    """Run one statement on the admin database, outside a transaction."""
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def noise_jpeg(seed: int) -> bytes:
    """A distinct 160x120 JPEG of random blocks (distinct perceptual hashes, not near duplicates)."""
    rng = random.Random(seed)
    small = Image.new("L", (16, 12))
    small.putdata([rng.randrange(256) for _ in range(16 * 12)])
    picture = small.resize((160, 120), Image.NEAREST).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def donate(port: int, token: str, data: bytes) -> int:
    """POST one image as multipart; returns the new image's id."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    status, answer = api(port, "POST", "/api/v1/images", token=token, data=body,
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    if status != 201:
        raise RuntimeError(f"donation answered {status}: {answer}")
    return answer["image"]["id"]


def mix_script(tokens: list[str], image_ids: list[int], labels: list[str]) -> str:
    """A wrk script cycling through the request mix, tokens taken in turn."""
    return f"""
local tokens = {lua_list(["Bearer " + t for t in tokens])}
local ids = {{{",".join(str(i) for i in image_ids)}}}
local labels = {lua_list(labels)}
local n = 0
function init(args) n = math.random(1000) end
function request()
  n = n + 1
  local auth = tokens[n % #tokens + 1]
  local id = ids[math.random(#ids)]
  local kind = n % 10
  if kind < 3 then
    return wrk.format("GET", "/api/v1/tasks/next?kind=label", {{["Authorization"] = auth}})
  elseif kind < 6 then
    return wrk.format("GET", "/api/v1/images/" .. id)
  elseif kind < 8 then
    return wrk.format("GET", "/api/v1/images/" .. id .. "/file?size=thumb")
  else
    local body = '{{"labels": ["' .. labels[math.random(#labels)] .. '"]}}'
    return wrk.format("POST", "/api/v1/images/" .. id .. "/labels",
                      {{["Authorization"] = auth, ["Content-Type"] = "application/json"}}, body)
  end
end
"""


class ConnectionWatcher(threading.Thread):
    """Polls ``pg_stat_activity`` for the benchmark database every 100 ms and keeps the peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.samples = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
        query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db")
        try:
            with engine.connect() as connection:
                while not self.stopping.is_set():
                    self.peak = max(self.peak, connection.execute(query, {"db": DATABASE}).scalar() or 0)
                    self.samples += 1
                    self.stopping.wait(0.1)
        finally:
            engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Set up, seed, load, print the figures, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--serve-arg", action="append", default=[],
                        help="an extra `imagemonkey serve` option, e.g. --serve-arg=--no-guard (before/after runs)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="imagemonkey-bench-load-"))
    admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{DATABASE}"')
    try:
        settings = bench_settings(tmp, f"postgresql://postgres@127.0.0.1:5432/{DATABASE}")
        settings.update({"sqlalchemy.pool_size": str(POOL_SIZE), "sqlalchemy.max_overflow": str(MAX_OVERFLOW)})
        ini = write_ini(tmp / "bench.ini", settings)
        import subprocess
        subprocess.run([PYTHON, "-m", "imagemonkey", "db", "upgrade", "--config", str(ini)], cwd=ROOT, check=True,
                       capture_output=True)
        port = free_port()
        with imagemonkey_server(ini, port, tmp / "server.log", extra=tuple(args.serve_arg)) as process:
            emit("server_rss_after_start", rss_kib(process.pid), "KiB")
            tokens = [new_token(port) for _ in range(TOKENS)]
            started = time.perf_counter()
            image_ids = [donate(port, tokens[i % TOKENS], noise_jpeg(i)) for i in range(args.images)]
            emit("seed_images", len(image_ids), "images", seconds=round(time.perf_counter() - started, 1))
            _, catalog = api(port, "GET", "/api/v1/labels")
            names = [label["name"] for label in catalog["labels"]][:50]
            rss_start = rss_kib(process.pid)
            watcher = ConnectionWatcher()
            watcher.start()
            try:
                result = run_wrk(f"http://127.0.0.1:{port}/", mix_script(tokens, image_ids, names),
                                 tmp / "mix.lua", connections=args.connections, duration_s=args.duration,
                                 timeout_s=10, count_status=True)
            finally:
                watcher.stopping.set()
                watcher.join()
            rss_end = rss_kib(process.pid)
            log = (tmp / "server.log").read_text(errors="replace")
        status = result["status"]
        emit("requests_per_s", result["requests_per_s"], "req/s", connections=args.connections,
             duration_s=args.duration, requests=result["requests"], serve_args=args.serve_arg)
        emit("latency_p50", result["p50_ms"], "ms")
        emit("latency_p99", result["p99_ms"], "ms")
        emit("status_counts", status, "responses")
        emit("non_2xx_3xx", status["4xx"] + status["5xx"] + status["other"], "responses")
        emit("server_errors_5xx", status["5xx"], "responses", target_max=0)
        emit("socket_errors", result["errors"], "errors")
        emit("pg_connections_peak", watcher.peak, "connections", target_max=POOL_SIZE + MAX_OVERFLOW,
             samples=watcher.samples)
        emit("server_rss_start", rss_start, "KiB")
        emit("server_rss_end", rss_end, "KiB")
        causes = sorted({line.strip() for line in log.splitlines()
                         if "Error:" in line and not line.startswith((" ", "Traceback"))})
        emit("server_log_errors", log.count("ERROR"), "lines", causes=causes[:3])
        warnings = sorted({line for line in log.splitlines() if line.startswith("WARNING")})
        emit("server_log_warnings", warnings[:5], "distinct lines", count=len(warnings))
    finally:
        admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
