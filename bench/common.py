"""Shared helpers for the benchmarks: JSON figures, servers as subprocesses, ini files, and ``wrk``.

Every server started here runs as a child process of the benchmark, bound to 127.0.0.1,
and is stopped (SIGINT, then SIGKILL after a grace period) when its ``with`` block ends.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WRK = "/usr/bin/wrk"

BARE_APP = """
import sys, waitress
BODY = b'{"ok":true,"labels":[]}'
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
print("bare app serving", flush=True)
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=int(sys.argv[2]), ident="bare")
"""

# The ceiling for any Python app that writes to SQLite behind waitress as `imagemonkey serve` runs it
# (8 threads, send_bytes=18000): per request it reads a JSON body, then under one process-wide lock (as
# ImageMonkey's) runs an upsert with RETURNING and a log insert on the thread's own connection (WAL,
# synchronous=NORMAL) and commits; no framework at all.
BARE_SQLITE_APP = """
import json, sqlite3, sys, threading, waitress
PATH = sys.argv[3]
setup = sqlite3.connect(PATH)
setup.execute("PRAGMA journal_mode=WAL")
setup.execute("CREATE TABLE IF NOT EXISTS counted (id INTEGER PRIMARY KEY, name TEXT UNIQUE, uses INTEGER)")
setup.execute("CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, kind TEXT, target TEXT)")
setup.close()
write_lock, local = threading.Lock(), threading.local()
def connection():
    if not hasattr(local, "db"):
        local.db = sqlite3.connect(PATH, check_same_thread=False)
        local.db.execute("PRAGMA synchronous=NORMAL")
    return local.db
def app(environ, start_response):
    size = int(environ.get("CONTENT_LENGTH") or 0)
    name = json.loads(environ["wsgi.input"].read(size) or b"{}").get("name") or environ["PATH_INFO"]
    db = connection()
    with write_lock:
        row = db.execute("INSERT INTO counted (name, uses) VALUES (?, 1) ON CONFLICT (name) DO UPDATE "
                         "SET uses = uses + 1 RETURNING id, uses", (name,)).fetchone()
        db.execute("INSERT INTO log (kind, target) VALUES ('write', ?)", (str(row[0]),))
        db.commit()
    body = json.dumps({"name": name, "uses": row[1]}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
print("bare sqlite app serving", flush=True)
import warnings
warnings.filterwarnings("ignore", "send_bytes", DeprecationWarning)
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=int(sys.argv[2]), ident="bare-sqlite",
               send_bytes=18000)
"""

# The stock way to write with Pyramid (the cookiecutter's alchemy stack), served like `imagemonkey serve`
# (8 threads, send_bytes=18000): pyramid_tm, a SQLAlchemy ORM session registered with zope.sqlalchemy per
# request, one ORM object added and flushed (to answer its id), committed by pyramid_tm. SQLite gets WAL and
# synchronous=NORMAL like ImageMonkey's engine; PostgreSQL the same psycopg driver and a pool of 10 + 5.
STOCK_APP = """
import sys, warnings, waitress, transaction, zope.sqlalchemy
from datetime import datetime, timezone
from pyramid.config import Configurator
from sqlalchemy import DateTime, Integer, String, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
URL = sys.argv[3]
class Base(DeclarativeBase): pass
class Entry(Base):
    __tablename__ = "stock_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
if URL.startswith("sqlite"):
    engine = create_engine(URL, connect_args={"check_same_thread": False, "timeout": 10})
    @event.listens_for(engine, "connect")
    def pragmas(connection, _record):
        connection.execute("PRAGMA journal_mode=WAL"); connection.execute("PRAGMA synchronous=NORMAL")
else:
    engine = create_engine(URL.replace("postgresql://", "postgresql+psycopg://", 1), pool_size=10, max_overflow=5)
Base.metadata.create_all(engine)
factory = sessionmaker(bind=engine)
def dbsession(request):
    session = factory()
    zope.sqlalchemy.register(session, transaction_manager=request.tm)
    return session
def write(request):
    entry = Entry(name=str(request.json_body.get("name") or request.path), created_at=datetime.now(timezone.utc))
    request.dbsession.add(entry)
    request.dbsession.flush()
    return {"id": entry.id, "name": entry.name}
with Configurator(settings={"tm.manager_hook": "pyramid_tm.explicit_manager"}) as config:
    config.include("pyramid_tm")
    config.add_request_method(dbsession, reify=True)
    config.add_route("write", "/*path")
    config.add_view(write, route_name="write", renderer="json")
    app = config.make_wsgi_app()
print("stock app serving", flush=True)
warnings.filterwarnings("ignore", "send_bytes", DeprecationWarning)
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=int(sys.argv[2]), ident="stock",
               send_bytes=18000)
"""


def emitter(bench: str) -> Any:
    """A function printing one figure as a JSON line: ``emit(figure, value, unit, **extra)``."""
    def emit(figure: str, value: Any, unit: str, **extra: Any) -> None:
        print(json.dumps({"bench": bench, "figure": figure, "value": value, "unit": unit, **extra}), flush=True)
    return emit


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_ini(path: Path, settings: dict[str, str]) -> Path:
    """A PasteDeploy ini with ``[app:main] use = egg:imagemonkey`` and ``settings``, quiet logging."""
    lines = ["[app:main]", "use = egg:imagemonkey"]
    lines += [f"{key} = {value}" for key, value in settings.items()]
    lines += ["", "[loggers]", "keys = root", "", "[handlers]", "keys = console", "", "[formatters]",
              "keys = generic", "", "[logger_root]", "level = WARNING", "handlers = console", "",
              "[handler_console]", "class = StreamHandler", "args = (sys.stderr,)", "level = NOTSET",
              "formatter = generic", "", "[formatter_generic]", "format = %(levelname)s %(name)s %(message)s", ""]
    path.write_text("\n".join(lines))
    return path


def bench_settings(tmp: Path, url: str | None = None) -> dict[str, str]:
    """Settings for a benchmark server: data under ``tmp``, no rate limits, post-moderation, no plugins."""
    return {
        "sqlalchemy.url": url or f"sqlite:///{tmp / 'imagemonkey.sqlite'}",
        "imagemonkey.data_dir": str(tmp),
        "imagemonkey.storage": f"file://{tmp / 'images'}",
        "imagemonkey.plugins": "",
        "imagemonkey.moderation": "post",
        "imagemonkey.rate_limit.clients": "off",
        "imagemonkey.rate_limit.writes": "off",
        "imagemonkey.rate_limit.requests": "off",
    }


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 90.0) -> None:
    """Wait until something accepts connections on ``port``; fail with the log tail if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not listen on {port} within {timeout} s:\n{log.read_text()[-3000:]}")


@contextmanager
def server(args: list[str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    """Run ``PYTHON args`` (a server listening on ``port``) for the ``with`` block, then stop it."""
    with log.open("wb") as out:
        process = subprocess.Popen([PYTHON, *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGINT (waitress exits cleanly), then SIGKILL after 10 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def imagemonkey_server(ini: Path, port: int, log: Path, threads: int = 8, extra: tuple[str, ...] = ()) -> Any:
    """``python -m imagemonkey serve --config ini`` on 127.0.0.1:``port`` (``extra``: more serve options)."""
    return server(["-m", "imagemonkey", "serve", "--host", "127.0.0.1", "--port", str(port),
                   "--threads", str(threads), "--config", str(ini), *extra], port, log)


def bare_server(port: int, log: Path, threads: int = 8) -> Any:
    """A bare waitress app answering a constant JSON body, with ``threads`` threads."""
    return server(["-c", BARE_APP, str(port), str(threads)], port, log)


def bare_sqlite_server(port: int, log: Path, database: Path, threads: int = 8) -> Any:
    """A bare waitress app doing two raw SQLite writes and a commit per request (see ``BARE_SQLITE_APP``)."""
    return server(["-c", BARE_SQLITE_APP, str(port), str(threads), str(database)], port, log)


def stock_server(port: int, log: Path, url: str, threads: int = 8) -> Any:
    """The stock Pyramid + pyramid_tm + zope.sqlalchemy app inserting one ORM object per request (``STOCK_APP``)."""
    return server(["-c", STOCK_APP, str(port), str(threads), url], port, log)


@contextmanager
def compared_servers(ini: Path, folder: Path, stock_url: str | None = None) -> Iterator[dict[str, int]]:
    """``imagemonkey serve --config ini`` and the calibrated ladder side by side: the bare app, the bare SQLite
    writer and the stock app (writing to ``stock_url``, SQLite in ``folder`` by default); yields their ports by
    name (``imagemonkey``, ``bare``, ``bare_sqlite``, ``stock``)."""
    ports = {name: free_port() for name in ("imagemonkey", "bare", "bare_sqlite", "stock")}
    stock_url = stock_url or f"sqlite:///{folder / 'stock.sqlite'}"
    with imagemonkey_server(ini, ports["imagemonkey"], folder / "server.log"), \
            bare_server(ports["bare"], folder / "bare.log"), \
            bare_sqlite_server(ports["bare_sqlite"], folder / "bare_sqlite.log", folder / "bare.sqlite"), \
            stock_server(ports["stock"], folder / "stock.log", stock_url):
        yield ports


@contextmanager
def postgres_database(base_url: str, name: str) -> Iterator[str]:
    """A fresh PostgreSQL database ``name`` on the server of ``base_url`` for the ``with`` block (dropped after)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield base_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def rss_kib(pid: int) -> int:
    """The resident set size of ``pid`` in KiB (``VmRSS`` of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def api(port: int, method: str, path: str, body: Any = None, token: str | None = None,
        headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, Any]:
    """One HTTP request to 127.0.0.1:``port``; returns (status, parsed JSON body or None)."""
    all_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def new_token(port: int) -> str:
    """A fresh anonymous contributor's token (POST /api/v1/clients)."""
    status, body = api(port, "POST", "/api/v1/clients")
    if status != 201:
        raise RuntimeError(f"POST /api/v1/clients answered {status}: {body}")
    return body["token"]


def lua_string(value: str) -> str:
    """A Lua string literal."""
    return json.dumps(value)


def lua_list(values: list[str]) -> str:
    """A Lua table of string literals."""
    return "{" + ",".join(lua_string(v) for v in values) + "}"


# Appended to a wrk script when statuses are counted: a per-thread count of answers per status class
# (a ``response`` callback makes wrk hand every answer to Lua, which costs wrk CPU: only used when asked).
STATUS_COUNTER_LUA = """
local threads_ = {}
function setup(thread) table.insert(threads_, thread) end
function init(args) s2 = 0; s3 = 0; s4 = 0; s5 = 0; other = 0 end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1 elseif status >= 200 then s2 = s2 + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local t = {s2 = 0, s3 = 0, s4 = 0, s5 = 0, other = 0}
  for _, thread in ipairs(threads_) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format('STATUS {"2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d, "other": %d}\\n',
    t.s2, t.s3, t.s4, t.s5, t.other))
  done_latency(latency)
end
"""

LATENCY_LUA = """
function done_latency(latency)
  io.write(string.format('LATENCY {"p50_ms": %.3f, "p99_ms": %.3f}\\n',
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
if done == nil then function done(summary, latency, requests) done_latency(latency) end end
"""


def run_wrk(url: str, script: str, script_path: Path, *, connections: int, duration_s: int, threads: int = 2,
            timeout_s: int = 10, count_status: bool = False) -> dict[str, Any]:
    """Run ``wrk`` with ``script`` and return its figures.

    Returns ``requests_per_s``, ``requests``, ``errors`` (socket errors: connect/read/write/timeout),
    ``non_2xx_3xx``, ``p50_ms`` and ``p99_ms``; with ``count_status`` also ``status`` (counts per class).
    """
    script_path.write_text(script + (STATUS_COUNTER_LUA if count_status else "") + LATENCY_LUA)
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", f"--timeout={timeout_s}s",
               "-s", str(script_path), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + 60)
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{out}\n{done.stderr}")
    result: dict[str, Any] = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                              "requests": int(re.search(r"(\d+) requests in", out).group(1))}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = dict(zip(("connect", "read", "write", "timeout"),
                                (int(x) for x in errors.groups()), strict=True)) if errors else {}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx_3xx"] = int(non_2xx.group(1)) if non_2xx else 0
    if count_status:
        result["status"] = json.loads(re.search(r"^STATUS (.*)$", out, re.M).group(1))
    result.update(json.loads(re.search(r"^LATENCY (.*)$", out, re.M).group(1)))
    return result


def throughput_options(description: str, argv: list[str] | None) -> argparse.Namespace:
    """The HTTP benchmarks' options: ``--duration`` (seconds per wrk run), ``--rounds`` (median over rounds),
    ``--databases`` (``sqlite``, ``postgresql`` or both) and ``--postgres`` (a server URL; a database of the
    benchmark's own is created there and dropped afterwards)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all cases (median; default 2)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql (default both)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server URL (default postgresql://postgres@127.0.0.1:5432/postgres)")
    args = parser.parse_args(argv)
    args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    if not set(args.databases) <= {"sqlite", "postgresql"}:
        parser.error("--databases takes sqlite and/or postgresql")
    return args


def for_each_database(args: argparse.Namespace, name: str, run: Callable[[str, Path, str | None], None]) -> None:
    """``run(database, folder, url)`` for each of ``args.databases``, in a temporary folder removed afterwards;
    on PostgreSQL ``url`` names a throw-away database ``imagemonkey_bench_<name>_<pid>`` on ``args.postgres``
    (dropped afterwards), on SQLite it is None (the benchmark puts its files in the folder)."""
    for database in args.databases:
        folder = Path(tempfile.mkdtemp(prefix=f"imagemonkey-bench-{name}-"))
        try:
            if database == "postgresql":
                with postgres_database(args.postgres, f"imagemonkey_bench_{name}_{os.getpid()}") as url:
                    run(database, folder, url)
            else:
                run(database, folder, None)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def emit_ratios(emit: Any, rps: dict[str, float], reference: str, targets: dict[str, float], **extra: Any) -> None:
    """Each case's req/s over ``reference``'s (``<case>_to_<reference>_ratio``), with its target if it has one."""
    for case, value in rps.items():
        if case != reference:
            target = {"target_min": targets[case]} if case in targets else {}
            emit(f"{case}_to_{reference}_ratio", round(value / rps[reference], 3), "ratio", **target, **extra)


def run_interleaved(cases: dict[str, tuple[str, str]], folder: Path, *, rounds: int, duration_s: int,
                    connections: int, around: dict[str, Any] | None = None) -> dict[str, list[dict[str, Any]]]:
    """``wrk`` on every ``(url, script)`` case, round by round so all cases see the same machine load.

    ``around`` maps a case to a context manager factory entered around each of its runs (e.g. a sampler).
    """
    results: dict[str, list[dict[str, Any]]] = {case: [] for case in cases}
    for _ in range(rounds):
        for case, (url, script) in cases.items():
            with (around or {}).get(case, nullcontext)():
                results[case].append(run_wrk(url, script, folder / f"{case}.lua", connections=connections,
                                             duration_s=duration_s))
    return results


def emit_runs(emit: Any, case: str, runs: list[dict[str, Any]], **extra: Any) -> float:
    """Print a case's median req/s (with each run's), p99 latency, non-2xx/3xx and socket errors; returns the req/s."""
    rps = statistics.median(r["requests_per_s"] for r in runs)
    tag = {"database": extra["database"]} if "database" in extra else {}
    emit(f"{case}_rps", round(rps, 1), "req/s", runs=[round(r["requests_per_s"], 1) for r in runs], **extra)
    emit(f"{case}_p99_latency", round(statistics.median(r["p99_ms"] for r in runs), 2), "ms", **tag)
    emit(f"{case}_non_2xx_3xx", sum(r["non_2xx_3xx"] for r in runs), "responses", **tag)
    emit(f"{case}_socket_errors", sum(sum(r["errors"].values()) for r in runs), "errors", **tag)
    return rps
