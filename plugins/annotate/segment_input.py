"""Reading a ``POST /api/v1/annotate/segment`` body: the image id, the box and the optional scribbles.

A value of the wrong type or a missing field is a 400 (``malformed_request``); a well-formed box that is empty or
lies outside the image is a 422 (``empty_box``, ``box_outside``). Scribble points outside the image are clipped.
"""
from __future__ import annotations

import math
from typing import Any

from imagemonkey.plugin import ApiError, bad_request

from .proposal import Box, Polyline
from .shapes import TOLERANCE

MIN_BOX = 4  # pixels of the image, each side
MAX_SCRIBBLES = 50  # polylines, inside and outside together
MAX_SCRIBBLE_POINTS = 2000  # points, all scribbles together


def malformed(message: str, field: str) -> ApiError:
    """400 ``malformed_request`` naming the field."""
    return bad_request(message, code="malformed_request", field=field)


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise malformed(f"{field} must be a finite number.", field)
    return float(value)


def read_image_id(body: dict[str, Any]) -> str:
    """``image_id``, an id string as everywhere in the API (one that is not an image's id is a 404 later)."""
    value = body.get("image_id")
    if not isinstance(value, str):
        raise malformed("image_id must be an image's id (a string).", "image_id")
    return value


def read_box(body: dict[str, Any], width: int, height: int) -> Box:
    """The box, inside an image of ``width`` x ``height`` (within the shapes' tolerance, then clamped)."""
    box = body.get("box")
    if not isinstance(box, dict):
        raise malformed("Send the box: {\"box\": {\"x\", \"y\", \"width\", \"height\"}}.", "box")
    x, y, w, h = (_number(box.get(name), f"box.{name}") for name in ("x", "y", "width", "height"))
    if w < MIN_BOX or h < MIN_BOX:
        raise ApiError(422, "empty_box", f"The box must be at least {MIN_BOX} pixels wide and high.", field="box")
    if x < -TOLERANCE or y < -TOLERANCE or x + w > width + TOLERANCE or y + h > height + TOLERANCE:
        raise ApiError(422, "box_outside", f"The box must lie inside the image (0..{width} x 0..{height}).",
                       field="box")
    left, top = max(0.0, x), max(0.0, y)
    return Box(left, top, min(float(width), x + w) - left, min(float(height), y + h) - top)


def read_scribbles(body: dict[str, Any], width: int, height: int) -> tuple[list[Polyline], list[Polyline]]:
    """The ``inside`` and ``outside`` polylines (each a list of ``[x, y]``), clipped to the image."""
    scribbles = body.get("scribbles", {})
    if not isinstance(scribbles, dict) or set(scribbles) - {"inside", "outside"}:
        raise malformed("scribbles must be {\"inside\": [polyline, ...], \"outside\": [...]}.", "scribbles")
    found: dict[str, list[Polyline]] = {}
    lines = points = 0
    for kind in ("inside", "outside"):
        field = f"scribbles.{kind}"
        raw = scribbles.get(kind, [])
        if not isinstance(raw, list):
            raise malformed(f"{field} must be a list of polylines.", field)
        found[kind] = []
        for line in raw:
            if not isinstance(line, list) or not line:
                raise malformed(f"Each of {field} must be a non-empty list of [x, y] points.", field)
            lines, points = lines + 1, points + len(line)
            if lines > MAX_SCRIBBLES or points > MAX_SCRIBBLE_POINTS:
                raise malformed(f"At most {MAX_SCRIBBLES} scribbles of {MAX_SCRIBBLE_POINTS} points in all.",
                                "scribbles")
            found[kind].append([_point(point, field, width, height) for point in line])
    return found["inside"], found["outside"]


def _point(point: Any, field: str, width: int, height: int) -> tuple[float, float]:
    if not isinstance(point, list) or len(point) != 2:
        raise malformed(f"Each point of {field} must be [x, y].", field)
    x, y = (_number(value, field) for value in point)
    return min(max(x, 0.0), float(width)), min(max(y, 0.0), float(height))
