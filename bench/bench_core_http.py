"""Benchmark (issue 2): core HTTP requests/s through waitress against a bare waitress app, in one run.

Run from the repository root::

    .venv/bin/python bench/bench_core_http.py [--duration 10] [--rounds 2] [--databases sqlite,postgresql]

For each database (SQLite in a temporary folder; PostgreSQL in a database of its own on
``--postgres``, dropped afterwards), starts ``python -m imagemonkey serve --config TMP/bench.ini``
(no plugins, rate limits off, 8 threads) and the calibrated ladder (``common.compared_servers``),
all on 127.0.0.1. Then drives each case with ``wrk -t2 -c8``, the cases interleaved round by round
so all servers see the same machine load:

- ``bare``: GET / on the bare app;
- ``labels_get``: GET /api/v1/labels (200 with the catalog);
- ``labels_get_inm``: GET /api/v1/labels with a matching If-None-Match (304);
- ``suggestions_post``: POST /api/v1/label-suggestions with a token, names drawn from a pool of 1000;
- ``stock``: the same POSTs to the stock Pyramid + pyramid_tm + zope.sqlalchemy app inserting one
  ORM object each, on the same database (``common.STOCK_APP``);
- ``bare_sqlite``: the same POSTs to a bare waitress app that writes them to SQLite itself (an upsert
  with RETURNING and a log insert under a process-wide lock, then COMMIT: ``common.BARE_SQLITE_APP``),
  the ceiling for any Python app writing to SQLite behind this waitress.

Prints one JSON line per figure (median over rounds, with ``database``), the ratio of each case
to the bare app (targets: GET labels >= 0.5, the POST >= 0.25) and to the stock app (target: the
POST >= 1.2), and the POST's ratio to ``bare_sqlite``.
Stops the servers and removes the temporary folder at the end.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from common import (
    api,
    bench_settings,
    compared_servers,
    emit_ratios,
    emit_runs,
    emitter,
    for_each_database,
    lua_list,
    lua_string,
    new_token,
    run_interleaved,
    throughput_options,
    write_ini,
)

emit = emitter("core_http")
CONNECTIONS = 8
TARGETS = {"labels_get": 0.5, "labels_get_inm": 0.5, "suggestions_post": 0.25}
#: Issue 15: ratios to the stock one-row ORM write in the same run.
STOCK_TARGETS = {"suggestions_post": 1.2}


def get_script(path: str, headers: dict[str, str] | None = None) -> str:
    """A wrk script sending one GET with ``headers``."""
    lines = ["wrk.method = 'GET'", f"wrk.path = {lua_string(path)}"]
    lines += [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in (headers or {}).items()]
    return "\n".join(lines) + "\n"


def post_script(token: str, names: list[str]) -> str:
    """A wrk script POSTing label suggestions, a name drawn at random from ``names`` each time."""
    return f"""
local names = {lua_list(names)}
local headers = {{["Authorization"] = {lua_string("Bearer " + token)}, ["Content-Type"] = "application/json"}}
function request()
  local body = '{{"name": "' .. names[math.random(#names)] .. '"}}'
  return wrk.format("POST", "/api/v1/label-suggestions", headers, body)
end
"""


def run_database(args: Any, database: str, tmp: Path, url: str | None) -> None:
    """All cases against ``imagemonkey serve`` on ``database`` (``url``; None: SQLite under ``tmp``)."""
    ini = write_ini(tmp / "bench.ini", bench_settings(tmp, url))
    with compared_servers(ini, tmp, url) as ports:
        port = ports["imagemonkey"]
        token = new_token(port)
        status, catalog = api(port, "GET", "/api/v1/labels")
        if status != 200:
            raise RuntimeError(f"GET /api/v1/labels answered {status}")
        etag = f'"{catalog["version"]}"'
        names = [f"bench suggestion {i:04d}" for i in range(1000)]
        posts = post_script(token, names)
        cases = {
            "bare": (f"http://127.0.0.1:{ports['bare']}/", get_script("/")),
            "labels_get": (f"http://127.0.0.1:{port}/api/v1/labels", get_script("/api/v1/labels")),
            "labels_get_inm": (f"http://127.0.0.1:{port}/api/v1/labels",
                               get_script("/api/v1/labels", {"If-None-Match": etag})),
            "suggestions_post": (f"http://127.0.0.1:{port}/api/v1/label-suggestions", posts),
            "stock": (f"http://127.0.0.1:{ports['stock']}/api/v1/label-suggestions", posts),
            "bare_sqlite": (f"http://127.0.0.1:{ports['bare_sqlite']}/api/v1/label-suggestions", posts),
        }
        results = run_interleaved(cases, tmp, rounds=args.rounds, duration_s=args.duration, connections=CONNECTIONS)
    rps = {case: emit_runs(emit, case, runs, database=database, connections=CONNECTIONS, duration_s=args.duration,
                           rounds=args.rounds) for case, runs in results.items()}
    emit_ratios(emit, rps, "bare", TARGETS, database=database)
    emit_ratios(emit, rps, "stock", STOCK_TARGETS, database=database)
    emit("suggestions_post_to_bare_sqlite_ratio", round(rps["suggestions_post"] / rps["bare_sqlite"], 3), "ratio",
         database=database)


def main(argv: list[str] | None = None) -> int:
    """Run the cases interleaved on each database and print the figures."""
    args = throughput_options(__doc__.splitlines()[0], argv)
    for_each_database(args, "http", lambda database, tmp, url: run_database(args, database, tmp, url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
