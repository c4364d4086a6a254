"""Hooks the report plugin declares (documented in docs/plugins/report.md)."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import hookspec


@hookspec
def report_screeners(registry: Any) -> list[Any] | None:
    """Screeners that look at every donation. Called once per process, the first time a donation is screened.

    Return objects with a unique ``name`` (str) and ``screen(data: bytes) -> dict`` that gets the image file's
    bytes and returns ``{"hit": bool, "reason": one of the report reasons or None, "detections": [JSON values]}``.
    A hit quarantines the image; a screener that raises leaves the image pending with the error on its queue
    item. The report plugin itself contributes ``nudenet`` (NudeNet's detector, ``report.nudenet_*`` settings);
    a hash list of known bad images or another model plugs in the same way.

    :param registry: the app's registry (its ``settings``; ``get_setting(registry, ...)`` for declared ones).
    :returns: a list of screeners, or None.
    """
