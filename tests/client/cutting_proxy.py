"""A loopback TCP proxy for tests that cuts connections mid-answer, to break downloads on purpose.

``CuttingProxy(upstream_port, cut_after=N, cuts=K)`` listens on 127.0.0.1; the first ``K`` connections that
relay more than ``N`` bytes from the server are closed right after byte ``N``. Everything the clients sent
is kept in ``sent`` (to check which ``Range`` headers went out). Sockets time out after 10 s and the
threads are daemons, so nothing outlives a test for long.
"""
from __future__ import annotations

import socket
import threading

TIMEOUT = 10.0


class CuttingProxy:
    """See the module docstring; ``url`` is the proxy's base URL, ``stop()`` closes it."""

    def __init__(self, upstream_port: int, *, cut_after: int = 0, cuts: int = 0) -> None:
        self.upstream_port = upstream_port
        self.cut_after = cut_after
        self.cuts_left = cuts
        self.cut = 0
        self.sent = bytearray()
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.5)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                downstream, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            downstream.settimeout(TIMEOUT)
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=TIMEOUT)
            threading.Thread(target=self._requests, args=(downstream, upstream), daemon=True).start()
            threading.Thread(target=self._answers, args=(upstream, downstream), daemon=True).start()

    def _requests(self, downstream: socket.socket, upstream: socket.socket) -> None:
        try:
            while block := downstream.recv(65536):
                with self.lock:
                    self.sent += block
                upstream.sendall(block)
        except OSError:
            pass
        finally:
            _close(upstream)

    def _answers(self, upstream: socket.socket, downstream: socket.socket) -> None:
        relayed, cutting = 0, False
        try:
            while block := upstream.recv(65536):
                if not cutting and self.cut_after and relayed + len(block) > self.cut_after:
                    with self.lock:
                        cutting = self.cuts_left > 0
                        self.cuts_left -= cutting
                if cutting and relayed + len(block) > self.cut_after:
                    downstream.sendall(block[:max(0, self.cut_after - relayed)])  # past it already: at once
                    with self.lock:
                        self.cut += 1
                    return
                downstream.sendall(block)
                relayed += len(block)
        except OSError:
            pass
        finally:
            _close(downstream)
            _close(upstream)

    def stop(self) -> None:
        """Stop accepting connections."""
        self.stopped.set()
        self.listener.close()


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
