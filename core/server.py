"""waitress, guarded: connections per address, deadlines for slow requests, JSON for its own errors.

waitress times a connection out only after ``channel_timeout`` seconds *without any byte*, and
stops accepting anyone once ``connection_limit`` connections are open, so one client that
sends a header byte a second on ~1,000 connections (slowloris) shuts everyone else out.
:class:`GuardedServer` adds what waitress lacks:

- at most ``max_per_address`` open connections per client address (more are answered 503 and
  closed at once), so one address cannot take every slot;
- a request's headers must arrive within ``header_timeout`` seconds of its first byte;
- its body must keep arriving at ``min_body_rate`` bytes/s or faster in every window of
  ``header_timeout`` seconds (or bring the rest of the body within the window), not merely on
  average over its declared length: ``Content-Length: 40000000`` and then a byte every 20 s is
  closed after one window, not after 41 minutes; slower connections are closed;
- at most ``max_bodies`` connections in all, and ``max_bodies_per_address`` per address, may hold
  a request whose body has not fully arrived; one more is answered 503 and closed as soon as its
  headers are in, so slow bodies from several addresses cannot take every connection slot;
- waitress's own answers (413 for a body over ``max_request_body_size``, 400 for a broken
  request) are JSON ``{"error": {"code", "message"}}`` like every other ``/api/`` answer, with the
  security headers every other answer carries.

Behind a reverse proxy every connection comes from the proxy's address: let the proxy bound
clients and set ``max_per_address`` to the connection limit (docs/operating.md).
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from .server_answers import BUSY_RESPONSE, UPLOADS_BUSY_RESPONSE, JsonErrorTask


@dataclass(frozen=True)
class Guard:
    """The limits :class:`GuardedServer` enforces (``max_per_address`` and the body caps 0: no limit)."""

    max_per_address: int
    header_timeout: float
    min_body_rate: float
    max_bodies: int = 0
    max_bodies_per_address: int = 0


def default_per_address(connection_limit: int) -> int:
    """A third of the connection limit: one address can never take the whole server."""
    return max(1, connection_limit // 3)


def default_bodies(connection_limit: int) -> tuple[int, int]:
    """Unfinished bodies in all (a quarter of the connection limit) and per address (a third of that)."""
    total = max(1, connection_limit // 4)
    return total, max(1, total // 3)


class GuardedChannel(HTTPChannel):
    """A connection that counts itself against its address and watches how fast its request arrives."""

    error_task_class = JsonErrorTask
    request_started = 0.0
    counted = False
    in_body = False  # holds one of the server's slots for unfinished bodies
    window_started = 0.0
    window_bytes = 0

    def __init__(self, server: GuardedServer, sock: Any, addr: Any, adj: Any, map: Any = None) -> None:
        super().__init__(server, sock, addr, adj, map=map)
        if not server.admit(self):
            self.refuse(BUSY_RESPONSE)

    def refuse(self, answer: bytes) -> None:
        """Send ``answer`` (a whole response) if the socket takes it, and close."""
        try:
            self.socket.send(answer)
        except OSError:
            pass
        self.close()

    def received(self, data: bytes) -> bool:
        """Parse as waitress does; note when a request begins, when its body starts and how much of it came."""
        now = time.time()
        if data and self.request is None:
            self.request_started = now
        result = super().received(data)
        request = self.request
        receiving = request is not None and request.headers_finished and not request.completed
        if receiving and not self.in_body:
            if not self.server.admit_body(self):
                self.refuse(UPLOADS_BUSY_RESPONSE)
                return False
            self.in_body, self.window_started, self.window_bytes = True, now, 0
        elif receiving:
            self.window_bytes += len(data)
        elif self.in_body:
            self.leave_body()
        return result

    def leave_body(self) -> None:
        """Give the unfinished-body slot back."""
        if self.in_body:
            self.in_body = False
            self.server.release_body(self)

    def del_channel(self, map: Any = None) -> None:
        """Give the address's slots back when the connection goes."""
        self.leave_body()
        if self.counted:
            self.counted = False
            self.server.release(self)
        super().del_channel(map)

    def too_slow(self, now: float, guard: Guard) -> bool:
        """True when the request being received is past its header deadline or its body fell below the rate."""
        request = self.request
        if request is None or request.completed or self.will_close:
            return False
        if not request.headers_finished:
            return now - self.request_started > guard.header_timeout
        if not self.in_body:
            return False
        elapsed = now - self.window_started
        if elapsed < guard.header_timeout:
            return False
        needed = guard.min_body_rate * elapsed
        remain = getattr(request.body_rcv, "remain", None)  # a Content-Length body: what was left at the window's start
        if remain is not None:
            needed = min(needed, remain + self.window_bytes)
        if self.window_bytes < needed:
            return True
        self.window_started, self.window_bytes = now, 0
        return False


class GuardedServer(TcpWSGIServer):
    """waitress's TCP server with :class:`Guard`'s limits (see the module's docstring)."""

    channel_class = GuardedChannel

    def __init__(self, application: Any, guard: Guard, **kw: Any) -> None:
        self.guard = guard
        self.per_address: Counter[str] = Counter()
        self.bodies_per_address: Counter[str] = Counter()
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

    def admit_body(self, channel: GuardedChannel) -> bool:
        """Count an unfinished body against its address and the server; False when either is at its cap."""
        address = self.address_of(channel)
        guard = self.guard
        with self.per_address_lock:
            if guard.max_bodies and sum(self.bodies_per_address.values()) >= guard.max_bodies:
                return False
            if guard.max_bodies_per_address and self.bodies_per_address[address] >= guard.max_bodies_per_address:
                return False
            self.bodies_per_address[address] += 1
        return True

    def release_body(self, channel: GuardedChannel) -> None:
        """Forget a body that arrived (or whose connection closed)."""
        address = self.address_of(channel)
        with self.per_address_lock:
            self.bodies_per_address[address] -= 1
            if self.bodies_per_address[address] <= 0:
                del self.bodies_per_address[address]

    def maintenance(self, now: float) -> None:
        """waitress's idle timeout, plus closing requests that arrive too slowly."""
        super().maintenance(now)
        for channel in list(self.active_channels.values()):
            if isinstance(channel, GuardedChannel) and channel.too_slow(now, self.guard):
                channel.will_close = True


def create_server(app: Any, guard: Guard | None, **kw: Any) -> Any:
    """A server for ``app`` listening on its address (``run()`` serves until interrupted); ``guard`` None is plain
    waitress (for before/after benchmarks). Raises OSError (``EADDRINUSE``: the port is taken) when it cannot listen.
    """
    if guard is None:
        import waitress

        return waitress.create_server(app, **kw)
    return GuardedServer(app, guard, **{"cleanup_interval": 1, **kw})
