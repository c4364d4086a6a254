"""Benchmark (issue 21, item 8): normal requests while several addresses send request bodies a byte at a time.

Run from the repository root::

    .venv/bin/python bench/bench_slow_bodies.py [--before COMMIT] [--addresses 3] [--per-address 310]
                                                [--interval 20] [--seconds 30]

The attack of issue 21: from ``--addresses`` loopback addresses (127.0.0.3, ...) ``--per-address`` connections
each send ``POST /api/v1/images`` headers declaring ``Content-Length: 40000000``, then one body byte every
``--interval`` seconds; a connection the server closes is reopened within a second. Meanwhile GET /api/v1/info
from 127.0.0.2, one at a time for ``--seconds``; a request with no answer within 5 s counts as failed.
Side by side: ``imagemonkey serve`` of this checkout ("after") and of ``--before`` (default: the last commit
before the body-rate window and the unfinished-body caps; its ``core`` is put first on ``PYTHONPATH``), both
with their default guard. Everything stays on 127.0.0.x and ends after ``--seconds``.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from before import old_code, python_path
from bench_slowloris import normal_requests, percentile
from common import bench_settings, emitter, free_port, imagemonkey_server, write_ini

emit = emitter("slow_bodies")
BEFORE = "2030fe7"  # the last commit before the guard's body-rate window and unfinished-body caps
HEADERS = (b"POST /api/v1/images HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
           b"Content-Length: 40000000\r\n\r\n")


class SlowBodies(threading.Thread):
    """``per_address`` connections from each of ``addresses``, each sending a body byte every ``interval`` s."""

    def __init__(self, port: int, addresses: list[str], per_address: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.port, self.interval = port, interval
        self.slots: list[tuple[str, socket.socket | None, float]] = [
            (address, None, 0.0) for address in addresses for _ in range(per_address)]
        self.stopping = threading.Event()
        self.opened = 0
        self.open_now = 0

    def connect(self, address: str) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=1, source_address=(address, 0))
            sock.sendall(HEADERS)
            sock.setblocking(False)
            self.opened += 1
            return sock
        except OSError:
            return None

    @staticmethod
    def closed(sock: socket.socket) -> bool:
        """True when the server closed ``sock`` or answered on it (a 503 is followed by a close)."""
        try:
            sock.recv(4096)  # b"" (closed) or an answer
            return True
        except BlockingIOError:
            return False
        except OSError:
            return True

    def run(self) -> None:
        while not self.stopping.is_set():
            now = time.monotonic()
            alive = 0
            for index, (address, sock, last) in enumerate(self.slots):
                if sock is not None and self.closed(sock):
                    sock.close()
                    sock = None
                if sock is None:
                    sock, last = self.connect(address), now
                elif now - last >= self.interval:
                    try:
                        sock.send(b"a")
                        last = now
                    except OSError:
                        sock.close()
                        sock = None
                alive += sock is not None
                self.slots[index] = (address, sock, last)
                if self.stopping.is_set():
                    break
            self.open_now = alive
            self.stopping.wait(max(0.0, 1.0 - (time.monotonic() - now)))
        for _, sock, _ in self.slots:
            if sock is not None:
                sock.close()


def measure(folder: Path, variant: str, args: argparse.Namespace) -> None:
    """Normal requests against one server, without and then with the attack."""
    data = folder / variant
    data.mkdir()
    ini = write_ini(data / "bench.ini", bench_settings(data))
    port = free_port()
    addresses = [f"127.0.0.{3 + i}" for i in range(args.addresses)]
    with imagemonkey_server(ini, port, data / "server.log"):
        for phase in ("idle", "slow_bodies"):
            attacker = SlowBodies(port, addresses, args.per_address, args.interval) if phase != "idle" else None
            if attacker:
                attacker.start()
                time.sleep(5)  # let it open its connections
            latencies, failures = normal_requests(port, args.seconds)
            figures = {}
            if attacker:
                figures = {"attack_connections_open": attacker.open_now, "attack_connections_opened": attacker.opened}
                attacker.stopping.set()
                attacker.join(timeout=60)
            emit(f"{variant}_{phase}_answered", len(latencies) - failures, "requests", failed=failures,
                 seconds=args.seconds, p50_ms=percentile(latencies, 0.5), p99_ms=percentile(latencies, 0.99),
                 attack=f"{args.addresses} addresses x {args.per_address}, a byte every {args.interval} s",
                 **figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--addresses", type=int, default=3)
    parser.add_argument("--per-address", type=int, default=310)
    parser.add_argument("--interval", type=float, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="imagemonkey-bench-slow-bodies-"))
    try:
        (tmp / "old").mkdir()
        old_path = old_code(args.before, tmp / "old")
        for variant, path in (("before", old_path), ("after", None)):
            with python_path(path):
                measure(tmp, variant, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
