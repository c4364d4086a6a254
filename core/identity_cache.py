"""The per-process cache of tokens' identities (see ``auth.current_contributor`` for which tokens it holds)."""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .shared_state import IDENTITIES, SharedState

log = logging.getLogger(__name__)


class IdentityCache:
    """Recently seen tokens' identities, kept ``ttl`` seconds, bounded in size (least recently used dropped).

    It spares a database round trip on every write. A revert clears it in its own process; with
    ``shared`` state (the site's Redis) it clears every process's cache at once (each read compares a
    generation counter in Redis); without, other processes notice a blocked contributor within ``ttl`` seconds.
    """

    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic,
                 shared: SharedState | None = None):
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self.shared = shared
        self.generation = 0
        self.entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def _follow_shared(self, generation: int | None) -> bool:
        """Drop this process's entries when another process cleared (``generation``: the counter's value if the
        request already read it); False when Redis did not answer."""
        import redis

        assert self.shared is not None
        try:
            generation = self.shared.generation(IDENTITIES) if generation is None else generation
        except redis.RedisError:
            return False
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
                self.generation = generation
        return True

    def get(self, key: str, generation: int | None = None) -> Any:
        """The identity cached for ``key``, or None when absent or expired."""
        if self.ttl <= 0 or (self.shared is not None and not self._follow_shared(generation)):
            return None
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
        """Drop ``key`` (a token that was just revoked or claimed); with shared state every process drops its
        entries, since one key cannot be dropped in another process's memory."""
        with self.lock:
            self.entries.pop(key, None)
        if self.shared is not None:
            self._bump_shared()

    def clear(self) -> None:
        """Forget everything (after a revert or a role change), in every process when the state is shared."""
        with self.lock:
            self.entries.clear()
        if self.shared is not None:
            self._bump_shared()

    def _bump_shared(self) -> None:
        import redis

        assert self.shared is not None
        try:
            self.shared.bump(IDENTITIES)
        except redis.RedisError as error:
            log.warning("other processes keep cached identities up to token_cache_seconds: %s", error)
