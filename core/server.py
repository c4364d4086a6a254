"""waitress, guarded: connections per address, deadlines for slow requests, JSON for its own errors.

waitress times a connection out only after ``channel_timeout`` seconds *without any byte*, and
stops accepting anyone once ``connection_limit`` connections are open, so one client that
sends a header byte a second on ~1,000 connections (slowloris) shuts everyone else out.
:class:`GuardedServer` adds what waitress lacks:

- at most ``max_per_address`` open connections per client address (more are answered 503 and
  closed at once), so one address cannot take every slot;
- a request's headers must arrive within ``header_timeout`` seconds of its first byte, and
  its body at ``min_body_rate`` bytes/s or faster (after a grace of ``header_timeout``);
  slower connections are closed;
- waitress's own answers (413 for a body over ``max_request_body_size``, 400 for a broken
  request) are JSON ``{"error": {"code", "message"}}`` like every other ``/api/`` answer.

Behind a reverse proxy every connection comes from the proxy's address: let the proxy bound
clients and set ``max_per_address`` to the connection limit (docs/operating.md).
"""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask

ERROR_CODES = {400: "bad_request", 408: "request_timeout", 413: "too_large", 431: "headers_too_large",
               501: "not_implemented"}
BUSY_BODY = json.dumps({"error": {"code": "too_many_connections",
                                  "message": "This address holds too many open connections; retry later."}}).encode()
BUSY_RESPONSE = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
                 b"Connection: close\r\nContent-Length: " + str(len(BUSY_BODY)).encode() + b"\r\n\r\n" + BUSY_BODY)


@dataclass(frozen=True)
class Guard:
    """The limits :class:`GuardedServer` enforces (``max_per_address`` 0: no per-address limit)."""

    max_per_address: int
    header_timeout: float
    min_body_rate: float


def default_per_address(connection_limit: int) -> int:
    """A third of the connection limit: one address can never take the whole server."""
    return max(1, connection_limit // 3)


class JsonErrorTask(ErrorTask):
    """waitress's error answers (400, 413, ...) as the API's JSON error body."""

    def execute(self) -> None:
        error = self.request.error
        body = json.dumps({"error": {"code": ERROR_CODES.get(error.code, "bad_request"),
                                     "message": f"{error.reason}: {error.body}"}}).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff")])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class GuardedChannel(HTTPChannel):
    """A connection that counts itself against its address and remembers when its request began."""

    error_task_class = JsonErrorTask
    request_started = 0.0
    counted = False

    def __init__(self, server: GuardedServer, sock: Any, addr: Any, adj: Any, map: Any = None) -> None:
        super().__init__(server, sock, addr, adj, map=map)
        if not server.admit(self):
            try:
                sock.send(BUSY_RESPONSE)
            except OSError:
                pass
            self.close()

    def received(self, data: bytes) -> bool:
        """Note the arrival of a new request's first byte, then parse as waitress does."""
        if data and self.request is None:
            self.request_started = time.time()
        return super().received(data)

    def del_channel(self, map: Any = None) -> None:
        """Give the address's slot back when the connection goes."""
        if self.counted:
            self.counted = False
            self.server.release(self)
        super().del_channel(map)

    def too_slow(self, now: float, guard: Guard, body_cap: int) -> bool:
        """True when the request being received is past its deadline."""
        request = self.request
        if request is None or request.completed or self.will_close:
            return False
        allowed = guard.header_timeout
        if request.headers_finished:
            expected = request.content_length if not request.chunked else body_cap
            allowed += expected / guard.min_body_rate
        return now - self.request_started > allowed


class GuardedServer(TcpWSGIServer):
    """waitress's TCP server with :class:`Guard`'s limits (see the module's docstring)."""

    channel_class = GuardedChannel

    def __init__(self, application: Any, guard: Guard, **kw: Any) -> None:
        self.guard = guard
        self.per_address: Counter[str] = Counter()
        self.per_address_lock = threading.Lock()
        super().__init__(application, **kw)

    @staticmethod
    def address_of(channel: GuardedChannel) -> str:
        """The client's address without its port."""
        return str(channel.addr[0]) if isinstance(channel.addr, tuple) else str(channel.addr)

    def admit(self, channel: GuardedChannel) -> bool:
        """Count ``channel`` against its address; False when the address already holds its share."""
        address = self.address_of(channel)
        with self.per_address_lock:
            if self.guard.max_per_address and self.per_address[address] >= self.guard.max_per_address:
                return False
            self.per_address[address] += 1
        channel.counted = True
        return True

    def release(self, channel: GuardedChannel) -> None:
        """Forget a closed connection."""
        address = self.address_of(channel)
        with self.per_address_lock:
            self.per_address[address] -= 1
            if self.per_address[address] <= 0:
                del self.per_address[address]

    def maintenance(self, now: float) -> None:
        """waitress's idle timeout, plus closing requests that arrive too slowly."""
        super().maintenance(now)
        for channel in list(self.active_channels.values()):
            if isinstance(channel, GuardedChannel) and channel.too_slow(now, self.guard,
                                                                        self.adj.max_request_body_size):
                channel.will_close = True


def create_server(app: Any, guard: Guard | None, **kw: Any) -> Any:
    """A server for ``app`` listening on its address (``run()`` serves until interrupted); ``guard`` None is plain
    waitress (for before/after benchmarks). Raises OSError (``EADDRINUSE``: the port is taken) when it cannot listen.
    """
    if guard is None:
        import waitress

        return waitress.create_server(app, **kw)
    return GuardedServer(app, guard, **{"cleanup_interval": 1, **kw})
