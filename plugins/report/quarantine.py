"""Holding an image in quarantine while its reports or its screening say so, and letting it go."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import Image, change_status

from .models import QueueItem
from .settings import Policy

HOLDABLE = ("public", "pending")


def hold(request: Any, image: Image, item: QueueItem, why: str) -> None:
    """Quarantine ``image`` (public or pending) and remember the status it returns to."""
    if item.hidden or image.status not in HOLDABLE:
        return
    item.hidden, item.status_before = True, image.status
    change_status(request, image, "quarantined", why)


def release(request: Any, image: Image, item: QueueItem, why: str) -> None:
    """Give a held image back its earlier status (a moderator's decision is not undone here)."""
    if not item.hidden:
        return
    item.hidden = False
    if image.status == "quarantined":
        change_status(request, image, item.status_before or "public", why)
    item.status_before = None


def apply_score(request: Any, policy: Policy, image: Image, item: QueueItem) -> None:
    """Hold the image when its report score reaches the threshold; release it when reports fall away.

    A screening hit keeps the image held whatever its reports say. An item with nothing left in it
    (no open report, no hit, not pending) leaves the queue.
    """
    if item.score >= policy.hide_threshold:
        hold(request, image, item, "report: weighted reports passed report.hide_threshold")
    elif not item.screening_hit:
        release(request, image, item, "report: reports withdrawn")
    if item.report_count == 0 and not item.screening_hit and item.kind == "reported":
        item.is_open = False
