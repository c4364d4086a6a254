"""State that must be one per site, not one per process: rate limits and the identity cache's invalidation.

``imagemonkey.shared_state`` decides where it lives:

- empty (the default): the Redis of ``imagemonkey.jobs`` when that is a ``redis://`` URL, else in the process;
- ``local``: in the process, whatever the job queue is;
- ``redis://host:port/db`` (or ``rediss://``, ``unix://``): that Redis.

Keys carry the ``imagemonkey.jobs.queue`` name as prefix, so several sites can share one Redis database.
"""
from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")

#: One token bucket per key, kept in a Redis hash (tokens, stamp) and timed by the Redis server's clock,
#: so every process sees the same bucket whatever its own clock says. Returns the seconds to wait (0: allowed).
TOKEN_BUCKET = """
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1]) or capacity
local stamp = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - stamp) * refill)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / refill end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / refill * 1000) + 1000)
return tostring(wait)
"""


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
        self.token_bucket = self.client.register_script(TOKEN_BUCKET)

    def key(self, *parts: str) -> str:
        """A Redis key under this site's prefix."""
        return ":".join((self.prefix, *parts))

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
