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
