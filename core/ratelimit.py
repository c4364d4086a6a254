"""In-process rate limits (token buckets) per address and per token, applied by a tween."""
from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .errors import ApiError

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


def limiter_from_setting(value: str) -> RateLimiter | None:
    """A limiter for a ``N/period`` setting, or None when switched off."""
    rate = parse_rate(value)
    return RateLimiter(*rate) if rate else None


def check(limiter: RateLimiter | None, key: str, what: str) -> None:
    """Raise a 429 with ``Retry-After`` when ``key`` is over ``limiter``'s rate."""
    if limiter is None:
        return
    wait = limiter.hit(key)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiError(429, "rate_limited", f"Too many {what}; try again in {seconds} s.",
                       headers={"Retry-After": str(seconds)}, retry_after=seconds)


def client_address(request: Any) -> str:
    """The caller's address (``X-Forwarded-For`` only when ``imagemonkey.trust_forwarded_for``)."""
    if request.registry["trust_forwarded_for"]:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


def token_key(request: Any) -> str | None:
    """A key for the request's bearer token that does not keep the token itself."""
    header = request.headers.get("Authorization", "")
    return hashlib.sha256(header.encode()).hexdigest() if header else None
