"""Core's upload checks with this site's limits: the per-image pixel limit and the process-wide decode budget.

:func:`reserve_pixels` is the same budget for a decode of something already stored (a rendition read back).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from imagemonkey.images.process import ProcessedImage, process_upload


def process_site_upload(request: Any, data: bytes) -> ProcessedImage:
    """:func:`process_upload` of ``data`` with ``imagemonkey.max_pixels`` and the shared pixel budget.

    Every decode of client bytes goes through here, so parallel large uploads queue for the budget
    (and get a 503 with ``Retry-After`` when it stays spent) instead of growing the process.
    """
    registry = request.registry
    return process_upload(data, max_pixels=int(registry.settings["imagemonkey.max_pixels"]),
                          budget=registry["pixel_budget"])


@contextmanager
def reserve_pixels(request: Any, pixels: int) -> Iterator[None]:
    """Hold ``pixels`` of the process-wide decode budget for the block (a 503 with ``Retry-After`` when it stays
    spent for ``imagemonkey.decode_wait_seconds``)."""
    with request.registry["pixel_budget"].reserve(pixels):
        yield
