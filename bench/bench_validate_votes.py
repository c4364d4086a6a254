"""Vote throughput: POST /api/v1/image-labels/{id}/votes through waitress vs a bare waitress app, 8 connections.

Both servers run as subprocesses on free 127.0.0.1 ports (8 waitress threads each, rate limits off).
The vote server's SQLite database holds 5,000 image labels and 200 voters; each request is a
random voter's yes/no on a random label (new votes and replacements). Load comes from ``wrk``
(a Lua script rotates paths and tokens) or, without it, from a Python http.client load in 8 threads.
Prints JSON lines; target: ratio >= 0.25.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SECONDS = 10
CONNECTIONS = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_bare(port: int) -> None:
    import waitress

    body = b'{"ok": true}'

    def app(environ, start_response):  # noqa: ANN001
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    waitress.serve(app, host="127.0.0.1", port=port, threads=8, _quiet=True)


def serve_app(folder: Path, port: int) -> None:
    import waitress
    from bench_validate_crowd import SETTINGS

    from imagemonkey.app import make_app

    app = make_app({**SETTINGS, "imagemonkey.data_dir": str(folder), "imagemonkey.plugins": "validate",
                    "sqlalchemy.url": f"sqlite:///{folder / 'bench.sqlite'}"})
    waitress.serve(app, host="127.0.0.1", port=port, threads=8, _quiet=True)


def prepare(folder: Path) -> list[tuple[str, str]]:
    """Seed the database; returns (path, token) pairs for the load."""
    from bench_validate_crowd import build_app, seed

    from imagemonkey.auth import issue_token
    from imagemonkey.scripting import app_request

    app = build_app(folder)
    labels, people = seed(app, 5000, 200)
    with app_request(app.registry) as request:
        tokens = [issue_token(request.dbsession, request.dbsession.merge(person)) for person in people]
    app.registry["db_engine"].dispose()
    rng = random.Random(3)
    return [(f"/api/v1/image-labels/{rng.choice(labels)}/votes", rng.choice(tokens)) for _ in range(2000)]


def wait_for(port: int) -> None:
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def load_wrk(port: int, requests: list[tuple[str, str]], folder: Path) -> tuple[float, int]:
    script = folder / f"load{port}.lua"
    entries = ",".join(f'{{"{path}","{token}","{random.choice(["yes", "no"])}"}}' for path, token in requests)
    script.write_text(f"""local r = {{{entries}}}
local i = 0
request = function()
  i = i % #r + 1
  return wrk.format("POST", r[i][1], {{["Authorization"] = "Bearer " .. r[i][2],
    ["Content-Type"] = "application/json"}}, '{{"vote": "' .. r[i][3] .. '"}}')
end
""")
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script),
                          f"http://127.0.0.1:{port}/"], capture_output=True, text=True, timeout=SECONDS + 30).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, int(errors.group(1)) if errors else 0


def load_python(port: int, requests: list[tuple[str, str]]) -> tuple[float, int]:
    counts = [0, 0]
    lock = threading.Lock()
    deadline = time.perf_counter() + SECONDS

    def worker(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = offset
        while time.perf_counter() < deadline:
            path, token = requests[i % len(requests)]
            i += CONNECTIONS
            connection.request("POST", path, body=b'{"vote": "yes"}', headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            with lock:
                counts[0] += 1
                counts[1] += response.status >= 300
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts[0] / SECONDS, counts[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serve-bare", type=int)
    parser.add_argument("--serve-app", nargs=2, metavar=("DIR", "PORT"))
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return 0
    if args.serve_app:
        serve_app(Path(args.serve_app[0]), int(args.serve_app[1]))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        requests = prepare(folder)
        results = {}
        tool = "wrk" if shutil.which("wrk") else "python"
        for name, extra in (("bare_waitress", ["--serve-bare"]), ("vote_post", ["--serve-app", tmp])):
            port = free_port()
            log = open(folder / f"{name}.log", "wb")  # noqa: SIM115 (closed with the server)
            server = subprocess.Popen([sys.executable, __file__, *extra, str(port)], stdout=log, stderr=log,
                                      cwd=Path(__file__).parent)
            try:
                wait_for(port)
                rate, errors = load_wrk(port, requests, folder) if tool == "wrk" else load_python(port, requests)
            except RuntimeError:
                raise RuntimeError((folder / f"{name}.log").read_text(errors="replace")[-2000:]) from None
            finally:
                server.terminate()
                server.wait(timeout=10)
                log.close()
            results[name] = rate
            print(json.dumps({"bench": "validate_votes", "figure": name, "value": round(rate, 1), "unit": "req/s",
                              "non_2xx": errors, "connections": CONNECTIONS, "seconds": SECONDS, "load": tool}),
                  flush=True)
        print(json.dumps({"bench": "validate_votes", "figure": "ratio_vote_to_bare",
                          "value": round(results["vote_post"] / results["bare_waitress"], 3), "unit": "x"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
