"""Rate limits (token buckets) per address and per token, applied by a tween.

In the process by default; in Redis, shared by every process of the site, when the app has shared state
(:mod:`imagemonkey.shared_state`).
"""
from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from .errors import ApiError
from .shared_state import IDENTITIES_ENVIRON, SharedState, shared_state

log = logging.getLogger(__name__)

PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
MAX_KEYS = 100_000


def parse_rate(value: str) -> tuple[float, float] | None:
    """``"30/minute"`` → (capacity 30, refill per second); ``"off"`` or ``"0"`` → None."""
    value = str(value).strip().lower()
    if value in ("", "0", "off", "none"):
        return None
    count, _, period = value.partition("/")
    seconds = PERIODS.get(period.strip() or "minute")
    if seconds is None or not count.strip().isdigit():
        raise ValueError(f"bad rate {value!r}: use N/second, N/minute, N/hour or N/day")
    capacity = float(count)
    return capacity, capacity / seconds


class RateLimiter:
    """Token buckets keyed by string, bounded in memory (least recently used keys are dropped)."""

    def __init__(self, capacity: float, refill_per_second: float, clock: Callable[[], float] = time.monotonic):
        self.capacity = capacity
        self.refill = refill_per_second
        self.clock = clock
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Take one token for ``key``; returns 0 when allowed, else the seconds to wait."""
        now = self.clock()
        with self.lock:
            tokens, stamp = self.buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - stamp) * self.refill)
            if tokens >= 1:
                self.buckets[key] = (tokens - 1, now)
                wait = 0.0
            else:
                self.buckets[key] = (tokens, now)
                wait = (1 - tokens) / self.refill
            while len(self.buckets) > MAX_KEYS:
                self.buckets.popitem(last=False)
        return wait


class SharedRateLimiter:
    """Token buckets in the site's Redis: one bucket per key for all processes together.

    A Redis that does not answer lets the request through (logged): a limit must not take the site down.
    """

    def __init__(self, state: SharedState, name: str, capacity: float, refill_per_second: float):
        self.state = state
        self.name = name
        self.capacity = capacity
        self.refill = refill_per_second

    def bucket(self, key: str) -> str:
        """The Redis bucket of ``key`` (under the site's prefix)."""
        return f"{self.name}:{key}"

    def hit(self, key: str) -> float:
        """Take one token for ``key``; returns 0 when allowed, else the seconds to wait."""
        return take_shared(self.state, [(self, key)], None)[0]


def take_shared(state: SharedState, hits: Sequence[tuple[SharedRateLimiter, str]], request: Any) -> list[float]:
    """One Redis round trip for several shared limits, in order until one refuses; notes the identity cache's
    generation on ``request``. A Redis that does not answer lets the request through (logged)."""
    import redis

    try:
        waits, generation = state.take([(limiter.bucket(key), limiter.capacity, limiter.refill)
                                        for limiter, key in hits])
    except redis.RedisError as error:
        log.warning("rate limits not checked, Redis did not answer: %s", error)
        return [0.0] * len(hits)
    if request is not None:
        request.environ[IDENTITIES_ENVIRON] = generation
    return waits


class Limiter(Protocol):
    """What :func:`check` needs of a limiter."""

    def hit(self, key: str) -> float:
        """Take one token for ``key``; returns 0 when allowed, else the seconds to wait."""


def limiter_from_setting(value: str, registry: Any = None, name: str = "") -> Limiter | None:
    """A limiter for a ``N/period`` setting, or None when switched off.

    Given the app's ``registry`` and a ``name`` unique in the site (a plugin's starts with the plugin's
    name), the limiter is shared by all the site's processes when the site has shared state.
    """
    rate = parse_rate(value)
    if not rate:
        return None
    state = shared_state(registry) if registry is not None else None
    if state is not None:
        if not name:
            raise ValueError("a shared rate limiter needs a name")
        return SharedRateLimiter(state, name, *rate)
    return RateLimiter(*rate)


def refuse(wait: float, what: str) -> None:
    """Raise a 429 with ``Retry-After`` when ``wait`` (seconds) is not 0."""
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiError(429, "rate_limited", f"Too many {what}; try again in {seconds} s.",
                       headers={"Retry-After": str(seconds)}, retry_after=seconds)


def check(limiter: Limiter | None, key: str, what: str) -> None:
    """Raise a 429 with ``Retry-After`` when ``key`` is over ``limiter``'s rate."""
    if limiter is not None:
        refuse(limiter.hit(key), what)


def check_all(request: Any, checks: Sequence[tuple[Limiter | None, str, str]]) -> None:
    """:func:`check` each ``(limiter, key, what)`` in order; shared limiters take their tokens in one Redis round
    trip, which also brings the identity cache's generation (so the request needs no second one)."""
    active = [(limiter, key, what) for limiter, key, what in checks if limiter is not None]
    shared = [(limiter, key) for limiter, key, _ in active if isinstance(limiter, SharedRateLimiter)]
    if not shared or len(shared) < len(active):
        for limiter, key, what in active:
            check(limiter, key, what)
        return
    for (_, _, what), wait in zip(active, take_shared(shared[0][0].state, shared, request), strict=False):
        refuse(wait, what)


def client_address(request: Any) -> str:
    """The caller's address (``X-Forwarded-For`` only when ``imagemonkey.trust_forwarded_for``).

    Of ``X-Forwarded-For`` the last address counts: the one the trusted proxy added. The ones before it are
    whatever the client sent, so trusting the first would let a client pick a fresh rate-limit bucket per request.
    """
    if request.registry["trust_forwarded_for"]:
        addresses = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.remote_addr or "unknown"


def token_key(request: Any) -> str | None:
    """A key for the request's bearer token that does not keep the token itself."""
    header = request.headers.get("Authorization", "")
    return hashlib.sha256(header.encode()).hexdigest() if header else None
