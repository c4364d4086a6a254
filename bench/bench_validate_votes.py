"""Vote throughput: POST /api/v1/image-labels/{id}/votes through `imagemonkey serve` vs bare waitress apps.

Run from the repository root::

    .venv/bin/python bench/bench_validate_votes.py [--duration 10] [--rounds 2]

The vote server is ``python -m imagemonkey serve --config TMP/bench.ini`` (validate only, rate
limits off, 8 threads) on a SQLite database seeded with 5,000 image labels and 200 voters; each
request is a random voter's yes/no on a random label (new votes and replacements), 2,000 such
requests rotated by a ``wrk -t2 -c8`` Lua script. Side by side, interleaved round by round:

- ``bare``: a bare waitress app answering a constant JSON body (``common.BARE_APP``);
- ``bare_sqlite``: the same POSTs to a bare waitress app that writes to SQLite itself
  (``common.BARE_SQLITE_APP``: an upsert with RETURNING and a log insert under a process lock,
  then COMMIT), the ceiling for any Python app writing to SQLite behind this waitress.

Prints JSON lines (median over rounds): req/s of each, the vote's ratio to the bare app (target
>= 0.25) and to ``bare_sqlite``. Stops the servers and removes the temporary folder at the end.
"""
from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from bench_validate_crowd import build_app, seed
from common import (
    bench_settings,
    compared_servers,
    emit_runs,
    emitter,
    lua_string,
    run_interleaved,
    throughput_options,
    write_ini,
)

from imagemonkey.auth import issue_token
from imagemonkey.scripting import app_request

emit = emitter("validate_votes")
CONNECTIONS = 8
TARGET = 0.25


def seed_votes(folder: Path) -> list[tuple[str, str, str]]:
    """Seed ``folder/bench.sqlite``; returns 2,000 (path, token, vote) requests for the load."""
    app = build_app(folder)
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


def main(argv: list[str] | None = None) -> int:
    """Seed, serve, run the cases interleaved and print the figures."""
    args = throughput_options(__doc__.splitlines()[0], argv)
    tmp = Path(tempfile.mkdtemp(prefix="imagemonkey-bench-votes-"))
    try:
        script = vote_script(seed_votes(tmp))
        settings = {**bench_settings(tmp, f"sqlite:///{tmp / 'bench.sqlite'}"), "imagemonkey.plugins": "validate"}
        ini = write_ini(tmp / "bench.ini", settings)
        with compared_servers(ini, tmp) as (port, bare_port, sqlite_port):
            cases = {case: (f"http://127.0.0.1:{case_port}/", script)
                     for case, case_port in (("bare", bare_port), ("bare_sqlite", sqlite_port), ("vote_post", port))}
            results = run_interleaved(cases, tmp, rounds=args.rounds, duration_s=args.duration,
                                      connections=CONNECTIONS)
        rps = {case: emit_runs(emit, case, runs, connections=CONNECTIONS, duration_s=args.duration,
                               rounds=args.rounds) for case, runs in results.items()}
        emit("vote_post_to_bare_ratio", round(rps["vote_post"] / rps["bare"], 3), "ratio", target_min=TARGET)
        emit("vote_post_to_bare_sqlite_ratio", round(rps["vote_post"] / rps["bare_sqlite"], 3), "ratio")
        emit("bare_sqlite_to_bare_ratio", round(rps["bare_sqlite"] / rps["bare"], 3), "ratio")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
