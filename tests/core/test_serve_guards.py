"""``imagemonkey serve`` against slow and oversized clients: a real server process on 127.0.0.1."""
from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer


@pytest.fixture
def small_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server that holds at most 60 connections, so a test can fill it."""
    live = LiveServer(tmp_path / "data", plugins="", timeout=60, args=["--connection-limit", "60"])
    yield live
    live.stop()


def slow_connection(port: int, source: str = "127.0.0.1") -> socket.socket:
    """A connection that sent the start of a request and nothing more (a slowloris client)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    sock.sendall(b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    return sock


def get_from(port: int, source: str, path: str = "/api/v1/info", timeout: float = 10) -> tuple[int, bytes]:
    """A whole GET request from the address ``source``; answers (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0)) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_slow_connections_from_one_address_leave_room_for_others(small_server: LiveServer) -> None:
    held = []
    try:
        for _ in range(100):
            held.append(slow_connection(small_server.port))
        time.sleep(0.5)
        status, body = get_from(small_server.port, "127.0.0.2")
        assert status == 200 and json.loads(body)["name"] == "ImageMonkey"
    finally:
        for sock in held:
            sock.close()


def test_headers_sent_a_byte_at_a_time_time_out(tmp_path: Path) -> None:
    live = LiveServer(tmp_path / "data", plugins="", timeout=60, args=["--header-timeout", "2"])
    try:
        sock = slow_connection(live.port)
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 8:
            try:
                sock.sendall(b"a")
                sock.settimeout(0.5)
                if sock.recv(1) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = True
                break
        assert closed, "the server kept a connection whose headers never ended"
        assert time.monotonic() - started < 6
        status, _ = get_from(live.port, "127.0.0.1")
        assert status == 200
    finally:
        live.stop()


def test_a_body_over_the_servers_cap_is_answered_in_json(small_server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", small_server.port), timeout=10) as sock:
        sock.sendall(b"POST /api/v1/images HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 900000000\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split()[1] == b"413"
    assert b"application/json" in head.lower()
    assert json.loads(body)["error"]["code"] == "too_large"


def read_answer(sock: socket.socket) -> tuple[int, bytes, bytes]:
    """(status, head, body) of the answer on ``sock``, read until the server closes it."""
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.lower(), body


@pytest.mark.parametrize("request_bytes", [
    b"POST /api/v1/images HTTP/1.1\r\nHost: x\r\nContent-Length: 900000000\r\n\r\n",  # waitress's own 413
    b"GET /api/v1/info HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",  # waitress's own 400
])
def test_waitress_own_answers_carry_the_security_headers(small_server: LiveServer, request_bytes: bytes) -> None:
    with socket.create_connection(("127.0.0.1", small_server.port), timeout=10) as sock:
        sock.sendall(request_bytes)
        status, head, body = read_answer(sock)
    assert status in (400, 413) and json.loads(body)["error"]["code"] in ("bad_request", "too_large")
    assert b"content-security-policy: default-src 'self'" in head and b"x-frame-options: deny" in head
    assert b"x-content-type-options: nosniff" in head


def slow_body(port: int, source: str = "127.0.0.1", length: int = 40_000_000) -> socket.socket:
    """A connection that sent a POST's headers declaring ``length`` bytes, and one byte of its body."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    sock.sendall(b"POST /api/v1/images HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                 b"Content-Length: %d\r\n\r\na" % length)
    return sock


def closed_within(sock: socket.socket, seconds: float, trickle: float) -> float | None:
    """Send a body byte every ``trickle`` seconds; how long until the server closed the connection (None: never)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            sock.sendall(b"a")
            sock.settimeout(trickle)
            if sock.recv(65536) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
    return None


def test_a_body_trickling_below_the_rate_is_closed_after_one_window(tmp_path: Path) -> None:
    """Content-Length 40,000,000 then a byte now and then: on average over the declared length the old guard allowed
    2 s + 40 MB / 1 KB/s (11 hours); the rate holds in every window of --header-timeout seconds."""
    live = LiveServer(tmp_path / "data", plugins="", timeout=60, args=["--header-timeout", "2",
                                                                      "--min-body-rate", "1024"])
    try:
        after = closed_within(slow_body(live.port), 10, 0.5)
        assert after is not None and after < 6, after
        status, _ = get_from(live.port, "127.0.0.1")
        assert status == 200
    finally:
        live.stop()


def test_unfinished_bodies_are_capped_per_address_and_in_all(tmp_path: Path) -> None:
    live = LiveServer(tmp_path / "data", plugins="", timeout=60, args=[
        "--max-unfinished-bodies", "5", "--max-unfinished-bodies-per-address", "2"])
    held = []
    try:
        for source in ("127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2", "127.0.0.3"):
            held.append(slow_body(live.port, source))
        time.sleep(0.3)
        for source in ("127.0.0.1", "127.0.0.4"):  # the address's share is taken; then the server's
            with slow_body(live.port, source) as refused:
                status, _, body = read_answer(refused)
            assert status == 503 and json.loads(body)["error"]["code"] == "too_many_uploads"
        status, body = get_from(live.port, "127.0.0.1")  # requests without a pending body are unaffected
        assert status == 200 and json.loads(body)["name"] == "ImageMonkey"
        held.pop().close()  # a slot comes free
        time.sleep(0.3)
        with slow_body(live.port, "127.0.0.4", length=3) as accepted:
            accepted.sendall(b"bc")
            head = accepted.recv(65536)
        assert head.startswith(b"HTTP/1.1 ") and int(head.split()[1]) in (401, 415), head
    finally:
        for sock in held:
            sock.close()
        live.stop()
