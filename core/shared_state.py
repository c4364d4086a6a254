"""State that must be one per site, not one per process: rate limits and the identity cache's invalidation.

``imagemonkey.shared_state`` decides where it lives:

- empty (the default): the Redis of ``imagemonkey.jobs`` when that is a ``redis://`` URL, else in the process;
- ``local``: in the process, whatever the job queue is;
- ``redis://host:port/db`` (or ``rediss://``, ``unix://``): that Redis.

Keys carry the ``imagemonkey.jobs.queue`` name as prefix, so several sites can share one Redis database.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")

#: Token buckets kept in Redis hashes (tokens, stamp) and timed by the Redis server's clock, so every process sees
#: the same bucket whatever its own clock says. KEYS: the buckets, then a generation counter; ARGV: each bucket's
#: capacity and refill per second. The buckets are taken in order until one refuses (the later ones are left
#: alone, as in the process). Returns the counter's value, then each bucket's seconds to wait (0: allowed).
TAKE_TOKENS = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local result = {redis.call('GET', KEYS[#KEYS]) or '0'}
for i = 1, #KEYS - 1 do
  local capacity = tonumber(ARGV[2 * i - 1])
  local refill = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'stamp')
  local tokens = tonumber(state[1]) or capacity
  local stamp = tonumber(state[2]) or now
  tokens = math.min(capacity, tokens + math.max(0, now - stamp) * refill)
  local wait = 0
  if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / refill end
  redis.call('HSET', KEYS[i], 'tokens', tostring(tokens), 'stamp', tostring(now))
  redis.call('PEXPIRE', KEYS[i], math.ceil(capacity / refill * 1000) + 1000)
  result[i + 1] = tostring(wait)
  if wait > 0 then break end
end
return result
"""
#: The counter a revert bumps so that every process drops its cached identities.
IDENTITIES = "identities"
#: Where a request keeps the identity counter's value that its rate-limit round trip brought back.
IDENTITIES_ENVIRON = "imagemonkey.identities_generation"


def shared_state_url(settings: dict[str, Any]) -> str | None:
    """The Redis URL that holds per-site state, or None when it stays in the process."""
    where = str(settings.get("imagemonkey.shared_state") or "").strip()
    if where == "local":
        return None
    if not where:
        jobs = str(settings.get("imagemonkey.jobs") or "").strip()
        return jobs if jobs.startswith(REDIS_SCHEMES) else None
    return where


def check_shared_state(raw: Any) -> str:
    """Coercer of ``imagemonkey.shared_state``: empty, ``local`` or a Redis URL."""
    value = str(raw or "").strip()
    if value and value != "local" and not value.startswith(REDIS_SCHEMES):
        raise ValueError(f"imagemonkey.shared_state must be empty (follow imagemonkey.jobs), 'local' or a "
                         f"redis://host:port/db URL, not {value!r}")
    return value


class SharedState:
    """A site's Redis for per-site state, with its key prefix."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.url = url
        self.prefix = prefix
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.take_tokens = self.client.register_script(TAKE_TOKENS)

    def key(self, *parts: str) -> str:
        """A Redis key under this site's prefix."""
        return ":".join((self.prefix, *parts))

    def take(self, buckets: Sequence[tuple[str, float, float]], counter: str = IDENTITIES) -> tuple[list[float], int]:
        """One round trip: a token from each ``(key, capacity, refill per second)`` bucket in order, until one
        refuses; returns each bucket's seconds to wait (0: allowed; shorter than ``buckets`` after a refusal)
        and the value of the generation counter ``counter``."""
        keys = [self.key("rate", key) for key, _, _ in buckets] + [self.key("generation", counter)]
        rates = [repr(float(number)) for _, capacity, refill in buckets for number in (capacity, refill)]
        generation, *waits = self.take_tokens(keys=keys, args=rates)
        return [float(wait) for wait in waits], int(generation)

    def generation(self, name: str) -> int:
        """The current value of the counter ``name`` (0 when never bumped)."""
        return int(self.client.get(self.key("generation", name)) or 0)

    def bump(self, name: str) -> int:
        """Add one to the counter ``name`` (every process that reads it sees the change)."""
        return int(self.client.incr(self.key("generation", name)))


def shared_state_from_settings(settings: dict[str, Any]) -> SharedState | None:
    """The site's shared state, or None when it stays in each process."""
    url = shared_state_url(settings)
    if url is None:
        return None
    prefix = str(settings.get("imagemonkey.jobs.queue") or "imagemonkey").strip()
    return SharedState(url, prefix)


def shared_state(registry: Any) -> SharedState | None:
    """The app's shared state (None: in-process)."""
    return registry.get("shared_state") if hasattr(registry, "get") else None
