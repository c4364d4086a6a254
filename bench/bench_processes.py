"""Two ``imagemonkey serve`` processes against one on PostgreSQL, and the two with rate limits in Redis or in each.

Run from the repository root::

    .venv/bin/python bench/bench_processes.py [--duration 10] [--rounds 2] [--connections 16]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6379/12]

One throw-away PostgreSQL database, the validate plugin, rate limits on (high enough never to refuse), jobs on
Redis (database 12 by default, the benchmark's own: flushed at the end). Four servers run side by side: two with
``imagemonkey.shared_state = local`` (limits and the identity cache in each process) and two with it in Redis.
Mixed traffic from two ``wrk -t1`` processes at once, each with half the connections and its own donor token:
per 10 requests 5 ``GET /api/v1/images/{id}``, 1 ``GET /api/v1/images?q=dog``, 3 votes
(``POST /api/v1/image-labels/{id}/votes``, voters in turn) and 1 donation (a multipart upload of a distinct
48 × 48 JPEG, read from a file per request). Cases, interleaved round by round (every other round in reverse
order, since the tables grow as it runs):

- ``one_local``: both wrk processes on the same local server;
- ``two_local``: one wrk process per local server;
- ``two_shared``: one wrk process per Redis-sharing server.

Printed per case: requests/s (sum of both wrk processes, median over rounds), answers that are not 2xx and socket
errors; then ``two_local`` over ``one_local`` (target at least 1.6) and ``two_shared`` over ``two_local`` (target
at least 0.95: sharing costs at most 5%). Also per case: the CPU the serving processes used per request (user
plus system, all threads; PostgreSQL's and Redis's own CPU not counted), which a loaded machine disturbs less than
the throughput: on a machine whose cores are taken by other work, two processes cannot beat one, but equal CPU
per request says they would scale with free cores.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from common import (
    WRK,
    api,
    bench_settings,
    emitter,
    free_port,
    imagemonkey_server,
    lua_list,
    lua_string,
    new_token,
    postgres_database,
    run_wrk,
    write_ini,
)

emit = emitter("processes")
LIMITS = {"imagemonkey.rate_limit.requests": "1000000/minute", "imagemonkey.rate_limit.writes": "1000000/minute",
          "imagemonkey.rate_limit.clients": "1000000/minute"}
SEED_IMAGES = 60
VOTERS = 40
BOUNDARY = "imagemonkeybenchboundary"


def jpeg(rng: random.Random, side: int = 48) -> bytes:
    """A JPEG of random noise: no two are duplicates or near duplicates."""
    from PIL import Image

    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def donate(port: int, token: str, data: bytes, label: str) -> dict[str, Any]:
    """Donate ``data`` through the API (multipart); the Image JSON."""
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\n{label}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"s.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()
    status, answer = api(port, "POST", "/api/v1/images", token=token, data=body,
                         headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    if status != 201:
        raise RuntimeError(f"POST /api/v1/images answered {status}: {answer}")
    return dict(answer["image"])


def mix_script(tokens: list[str], donor: str, image_ids: list[str], label_ids: list[str], pool: Path,
               first: int, count: int) -> str:
    """A wrk script cycling through the mix; donations read files ``first .. first+count-1`` of ``pool`` in turn."""
    return f"""
local tokens = {lua_list(["Bearer " + t for t in tokens])}
local images = {lua_list(image_ids)}
local labels = {lua_list(label_ids)}
local donor = {lua_string("Bearer " + donor)}
local pool, first, count = {lua_string(str(pool))}, {first}, {count}
local boundary = "{BOUNDARY}"
local n, donated = 0, 0
local function donation()
  local f = io.open(pool .. "/" .. (first + donated % count) .. ".jpg", "rb")
  local data = f:read("*a")
  f:close()
  donated = donated + 1
  local body = "--" .. boundary .. "\\r\\nContent-Disposition: form-data; name=\\"label\\"\\r\\n\\r\\ndog\\r\\n--" ..
    boundary .. "\\r\\nContent-Disposition: form-data; name=\\"image\\"; filename=\\"b.jpg\\"\\r\\n" ..
    "Content-Type: image/jpeg\\r\\n\\r\\n" .. data .. "\\r\\n--" .. boundary .. "--\\r\\n"
  return wrk.format("POST", "/api/v1/images", {{["Authorization"] = donor,
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary}}, body)
end
request = function()
  n = n + 1
  local slot = n % 10
  if slot < 5 then
    return wrk.format("GET", "/api/v1/images/" .. images[n % #images + 1])
  elseif slot == 5 then
    return wrk.format("GET", "/api/v1/images?q=dog&limit=20")
  elseif slot < 9 then
    local vote = (n % 3 == 0) and "no" or "yes"
    return wrk.format("POST", "/api/v1/image-labels/" .. labels[n % #labels + 1] .. "/votes",
      {{["Authorization"] = tokens[n % #tokens + 1], ["Content-Type"] = "application/json"}},
      '{{"vote": "' .. vote .. '"}}')
  end
  return donation()
end
"""


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU seconds the processes ``pids`` (all their threads) have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in set(pids):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def run_case(targets: list[int], scripts: list[str], pids: list[int], folder: Path,
             args: argparse.Namespace) -> dict[str, Any]:
    """Both wrk processes at once (``targets[i]`` gets ``scripts[i]``); summed req/s, non-2xx and socket errors,
    and the CPU the servers ``pids`` used per request."""
    per = max(1, args.connections // 2)
    cpu = cpu_seconds(pids)
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda i: run_wrk(f"http://127.0.0.1:{targets[i]}/", scripts[i],
                                               folder / f"wrk{i}-{uuid.uuid4().hex[:6]}.lua", connections=per,
                                               duration_s=args.duration, threads=1, count_status=True),
                             range(2)))
    cpu = cpu_seconds(pids) - cpu
    return {"rps": sum(r["requests_per_s"] for r in runs),
            "cpu_ms": cpu * 1000 / max(1, sum(r["requests"] for r in runs)),
            "non_2xx": sum(r["status"]["4xx"] + r["status"]["5xx"] + r["status"]["other"] for r in runs),
            "socket_errors": sum(sum(r["errors"].values()) for r in runs)}


def seed(port: int) -> tuple[list[str], list[str], list[str], list[str]]:
    """Voters, two donors, the seeded images' ids and their label ids."""
    rng = random.Random(7)
    voters = [new_token(port) for _ in range(VOTERS)]
    donors = [new_token(port) for _ in range(2)]
    seeder = new_token(port)
    images = [donate(port, seeder, jpeg(rng), rng.choice(["dog", "cat"])) for _ in range(SEED_IMAGES)]
    return voters, donors, [i["id"] for i in images], [i["labels"][0]["id"] for i in images]


def run(args: argparse.Namespace, folder: Path, url: str) -> None:
    """Start the four servers, seed, run the cases interleaved, print the figures."""
    import redis

    queue = f"bench-processes-{uuid.uuid4().hex[:8]}"
    base = {**bench_settings(folder, url), **LIMITS, "imagemonkey.plugins": "validate",
            "imagemonkey.jobs": args.redis, "imagemonkey.jobs.queue": queue}
    inis = {"local": write_ini(folder / "local.ini", {**base, "imagemonkey.shared_state": "local"}),
            "shared": write_ini(folder / "shared.ini", base)}
    pool = folder / "pool"
    pool.mkdir()
    per_run = args.donations
    runs = 3 * 2 * args.rounds
    rng = random.Random(11)
    for index in range(runs * per_run):
        (pool / f"{index}.jpg").write_bytes(jpeg(rng))
    ports = {name: free_port() for name in ("local1", "local2", "shared1", "shared2")}
    with contextlib.ExitStack() as stack:
        # one after another: the first migrates the database, the others find it migrated
        pids = {name: stack.enter_context(imagemonkey_server(inis[name[:-1]], port, folder / f"{name}.log")).pid
                for name, port in ports.items()}
        voters, donors, image_ids, label_ids = seed(ports["local1"])
        cases = {"one_local": ("local1", "local1"), "two_local": ("local1", "local2"),
                 "two_shared": ("shared1", "shared2")}
        results: dict[str, list[dict[str, Any]]] = {case: [] for case in cases}
        slot = 0
        for round_number in range(args.rounds):
            order = list(cases) if round_number % 2 == 0 else list(reversed(cases))  # the data grows as it runs
            for case in order:
                servers = cases[case]
                scripts = []
                for i in range(2):
                    scripts.append(mix_script(voters[i::2], donors[i], image_ids, label_ids, pool,
                                              slot * per_run, per_run))
                    slot += 1
                results[case].append(run_case([ports[s] for s in servers], scripts, [pids[s] for s in servers],
                                              folder, args))
    redis.Redis.from_url(args.redis).flushdb()
    extra = {"database": "postgresql", "duration_s": args.duration, "rounds": args.rounds,
             "connections": args.connections}
    rps = {}
    for case, runs_of_case in results.items():
        rps[case] = statistics.median(r["rps"] for r in runs_of_case)
        emit(f"{case}_rps", round(rps[case], 1), "req/s", runs=[round(r["rps"], 1) for r in runs_of_case], **extra)
        emit(f"{case}_server_cpu_per_request", round(statistics.median(r["cpu_ms"] for r in runs_of_case), 2),
             "ms", runs=[round(r["cpu_ms"], 2) for r in runs_of_case])
        emit(f"{case}_non_2xx", sum(r["non_2xx"] for r in runs_of_case), "responses")
        emit(f"{case}_socket_errors", sum(r["socket_errors"] for r in runs_of_case), "errors")
    emit("two_local_to_one_local_ratio", round(rps["two_local"] / rps["one_local"], 3), "ratio", target_min=1.6)
    emit("two_shared_to_two_local_ratio", round(rps["two_shared"] / rps["two_local"], 3), "ratio", target_min=0.95)


def main(argv: list[str] | None = None) -> int:
    """Parse the options, make the database, run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per case and round (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over the cases (median; default 2)")
    parser.add_argument("--connections", type=int, default=16, help="connections in all, half per wrk (default 16)")
    parser.add_argument("--donations", type=int, default=400,
                        help="distinct JPEGs per wrk run (default 400; past them the donations are duplicates)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server URL (a throw-away database is made there)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12", help="the Redis of jobs and shared state")
    args = parser.parse_args(argv)
    if not Path(WRK).exists():
        parser.error(f"{WRK} is missing: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="imagemonkey-bench-processes-") as tmp, \
            postgres_database(args.postgres, f"imagemonkey_bench_processes_{os.getpid()}") as url:
        run(args, Path(tmp), url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
