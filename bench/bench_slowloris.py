"""Benchmark (issue 14, item 1): normal requests while one address holds 1,000 slow connections.

Run from the repository root::

    .venv/bin/python bench/bench_slowloris.py [--slow 1000] [--seconds 20]

For ``imagemonkey serve`` with its guard and with ``--no-guard`` (plain waitress: the state before
the fix), side by side in one run: GET /api/v1/info from 127.0.0.2, one request at a time for
``--seconds``, first with no slow connections, then while a slowloris client on 127.0.0.1 keeps
``--slow`` connections open, each sending one more header byte a second (and reopening any the
server closes). A request that gets no answer within 5 s counts as failed and as 5,000 ms.
Prints, per server and phase, requests answered, failures and the p50/p99 latency.
"""
from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

from common import bench_settings, emitter, free_port, imagemonkey_server, write_ini

emit = emitter("slowloris")
TIMEOUT = 5.0


class Slowloris(threading.Thread):
    """Keeps ``count`` half-sent requests open from 127.0.0.1, one header byte per connection per second."""

    def __init__(self, port: int, count: int) -> None:
        super().__init__(daemon=True)
        self.port, self.count = port, count
        self.sockets: list[socket.socket | None] = [None] * count
        self.stopping = threading.Event()
        self.reopened = 0
        self.open_now = 0

    def connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=1, source_address=("127.0.0.1", 0))
            sock.sendall(b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\nX-a: ")
            sock.setblocking(False)
            return sock
        except OSError:
            return None

    def run(self) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            alive = 0
            for i in range(self.count):
                sock = self.sockets[i]
                if sock is not None:
                    try:
                        sock.send(b"a")
                        alive += 1
                        continue
                    except OSError:
                        sock.close()
                        self.reopened += 1
                self.sockets[i] = self.connect()
                if self.stopping.is_set():
                    break
            self.open_now = alive
            self.stopping.wait(max(0.0, 1.0 - (time.monotonic() - started)))
        for sock in self.sockets:
            if sock is not None:
                sock.close()


def normal_requests(port: int, seconds: float) -> tuple[list[float], int]:
    """GET /api/v1/info from 127.0.0.2 one at a time for ``seconds``; (latencies in ms, failures)."""
    latencies: list[float] = []
    failures = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT,
                                                    source_address=("127.0.0.2", 0))
            connection.request("GET", "/api/v1/info")
            answer = connection.getresponse()
            answer.read()
            connection.close()
            ok = answer.status == 200
        except OSError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        if not ok:
            failures += 1
            elapsed = max(elapsed, TIMEOUT * 1000)
        latencies.append(elapsed)
    return latencies, failures


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``."""
    if len(values) < 2:
        return round(values[0], 1) if values else 0.0
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1], 1)


def measure(ini: Path, folder: Path, guarded: bool, slow: int, seconds: float) -> None:
    """Both phases against one server."""
    port = free_port()
    extra = () if guarded else ("--no-guard",)
    name = "guarded" if guarded else "no_guard"
    with imagemonkey_server(ini, port, folder / f"{name}.log", extra=extra):
        for phase, count in (("idle", 0), ("slowloris", slow)):
            attacker = Slowloris(port, count) if count else None
            if attacker:
                attacker.start()
                time.sleep(3)  # let it open its connections
            latencies, failures = normal_requests(port, seconds)
            extra_figures = {}
            if attacker:
                extra_figures = {"slow_connections_open": attacker.open_now, "reopened": attacker.reopened}
                attacker.stopping.set()
                attacker.join(timeout=30)
            emit(f"{name}_{phase}_p99", percentile(latencies, 0.99), "ms", p50_ms=percentile(latencies, 0.5),
                 requests=len(latencies), failed=failures, slow_connections=count, **extra_figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="imagemonkey-bench-slowloris-"))
    try:
        ini = write_ini(tmp / "bench.ini", bench_settings(tmp))
        for guarded in (True, False):
            measure(ini, tmp, guarded, args.slow, args.seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
