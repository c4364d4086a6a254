"""A process-wide budget of decoded pixels: parallel uploads queue for it instead of growing memory.

A per-image limit (``imagemonkey.max_pixels``) still lets eight 40-megapixel uploads decode at
once (a 154 KB PNG of zeros is 40 megapixels; eight took a server from 101 MB to 2.1 GB).
Every decode first reserves its pixel count here; when the budget is spent it waits up to
``wait_seconds`` for others to finish, then gives up with 503 and ``Retry-After``. After a
large decode the freed memory is handed back to the operating system (glibc ``malloc_trim``),
so the process shrinks again once the uploads are done.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import ApiError

#: Decodes at least this large trigger ``malloc_trim`` afterwards (cheap next to the decode itself).
TRIM_AFTER_PIXELS = 4_000_000


def _load_malloc_trim() -> ctypes._CFuncPtr | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _load_malloc_trim()


def release_free_memory() -> None:
    """Return freed heap memory to the operating system where the C library can (glibc)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class PixelBudget:
    """At most ``pixels`` decoded at once across the process; ``peak`` records the most ever reserved."""

    def __init__(self, pixels: int, wait_seconds: float) -> None:
        self.pixels = pixels
        self.wait_seconds = wait_seconds
        self.reserved = 0
        self.peak = 0
        self.condition = threading.Condition()

    @contextmanager
    def reserve(self, pixels: int) -> Iterator[None]:
        """Hold ``pixels`` of the budget (an image larger than the whole budget holds all of it) while decoding."""
        need = min(pixels, self.pixels)
        deadline = time.monotonic() + self.wait_seconds
        with self.condition:
            while self.reserved + need > self.pixels:
                left = deadline - time.monotonic()
                if left <= 0 or not self.condition.wait(left):
                    if self.reserved + need > self.pixels:
                        raise busy(self.wait_seconds)
            self.reserved += need
            self.peak = max(self.peak, self.reserved)
        try:
            yield
        finally:
            with self.condition:
                self.reserved -= need
                self.condition.notify_all()
            if pixels >= TRIM_AFTER_PIXELS:
                release_free_memory()


def busy(wait_seconds: float) -> ApiError:
    """503 with ``Retry-After``: other uploads are being decoded."""
    retry = max(1, round(wait_seconds))
    return ApiError(503, "busy", "The server is decoding other large images; retry shortly.",
                    headers={"Retry-After": str(retry)}, retry_after=retry)
