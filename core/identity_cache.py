"""The per-process cache of tokens' identities (see ``auth.current_contributor`` for which tokens it holds)."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class IdentityCache:
    """Recently seen tokens' identities, kept ``ttl`` seconds, bounded in size (least recently used dropped).

    It spares a database round trip on every write. A revert clears it in its own process;
    other processes notice a blocked contributor within ``ttl`` seconds.
    """

    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self.entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        """The identity cached for ``key``, or None when absent or expired."""
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[0] < self.clock():
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key: str, identity: Any) -> None:
        """Remember ``identity`` for ``key``."""
        if self.ttl <= 0:
            return
        with self.lock:
            self.entries[key] = (self.clock() + self.ttl, identity)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def forget(self, key: str) -> None:
        """Drop ``key`` (a token that was just revoked or claimed)."""
        with self.lock:
            self.entries.pop(key, None)

    def clear(self) -> None:
        """Forget everything (after a revert or a role change)."""
        with self.lock:
            self.entries.clear()
