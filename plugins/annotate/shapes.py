"""Checking shapes from clients: types, finite numbers, inside the image, sizes and counts.

Caps: at most :data:`MAX_SHAPES` shapes, ``annotate.max_points_per_polygon`` points in a polygon
(default :data:`MAX_POINTS`) and ``annotate.max_points`` points in an annotation (default
:data:`MAX_TOTAL_POINTS`): a 200 × 1,000-point annotation (8 MB of JSON) cost 2 s of CPU.

Every coordinate is in pixels of the upright image, origin top left. A shape may stick
out of the image by at most :data:`TOLERANCE` pixels; rectangles and polygon points
within that tolerance are clamped to the image, anything further out is rejected.
"""
from __future__ import annotations

import math
from typing import Any

from imagemonkey.plugin import ApiError

MAX_SHAPES = 200
MIN_POINTS = 3
MAX_POINTS = 1000  # per polygon, the default of ``annotate.max_points_per_polygon``
MAX_TOTAL_POINTS = 20_000  # per annotation, the default of ``annotate.max_points``
TOLERANCE = 1.0
FIELDS = {"rect": ("x", "y", "width", "height"), "ellipse": ("cx", "cy", "rx", "ry"), "polygon": ("points",)}


def shape_error(message: str, index: int | None, field: str, **extra: Any) -> ApiError:
    """422 ``invalid_shape`` naming the shape's index and the field."""
    if index is not None:
        extra["shape"] = index
    return ApiError(422, "invalid_shape", message, field=field, **extra)


def number(value: Any, index: int, field: str) -> float:
    """A finite JSON number (never a bool or a string)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise shape_error(f"Shape {index}: {field} must be a finite number.", index, field)
    return float(value)


def within(value: float, limit: int, index: int, field: str) -> float:
    """``value`` clamped to 0..limit, or a 422 when it lies more than the tolerance outside."""
    if value < -TOLERANCE or value > limit + TOLERANCE:
        raise shape_error(f"Shape {index}: {field} lies outside the image (0..{limit}).", index, field)
    return min(max(value, 0.0), float(limit))


def polygon_area(points: list[list[float]]) -> float:
    """The absolute area of a simple polygon (shoelace formula)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2.0


def check_rect(shape: dict[str, Any], index: int, width: int, height: int) -> dict[str, Any]:
    x, y = number(shape["x"], index, "x"), number(shape["y"], index, "y")
    w, h = number(shape["width"], index, "width"), number(shape["height"], index, "height")
    for field, size in (("width", w), ("height", h)):
        if size <= 0:
            raise shape_error(f"Shape {index}: {field} must be positive.", index, field)
    x0, y0 = within(x, width, index, "x"), within(y, height, index, "y")
    x1, y1 = within(x + w, width, index, "width"), within(y + h, height, index, "height")
    if x1 <= x0 or y1 <= y0:
        raise shape_error(f"Shape {index}: the rectangle has no area inside the image.", index,
                          "width" if x1 <= x0 else "height")
    return {"type": "rect", "x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}


def check_ellipse(shape: dict[str, Any], index: int, width: int, height: int) -> dict[str, Any]:
    cx, cy = number(shape["cx"], index, "cx"), number(shape["cy"], index, "cy")
    rx, ry = number(shape["rx"], index, "rx"), number(shape["ry"], index, "ry")
    for field, radius in (("rx", rx), ("ry", ry)):
        if radius <= 0:
            raise shape_error(f"Shape {index}: {field} must be positive.", index, field)
    for field, centre, radius, limit in (("cx", cx, rx, width), ("cy", cy, ry, height)):
        within(centre, limit, index, field)
        within(centre - radius, limit, index, "rx" if field == "cx" else "ry")
        within(centre + radius, limit, index, "rx" if field == "cx" else "ry")
    return {"type": "ellipse", "cx": cx, "cy": cy, "rx": rx, "ry": ry}


def check_polygon(shape: dict[str, Any], index: int, width: int, height: int,
                  max_points: int = MAX_POINTS) -> dict[str, Any]:
    raw = shape["points"]
    if not isinstance(raw, list) or not MIN_POINTS <= len(raw) <= max_points:
        raise shape_error(f"Shape {index}: points must be a list of {MIN_POINTS} to {max_points} [x, y] pairs.",
                          index, "points", max_points=max_points)
    points = []
    for k, point in enumerate(raw):
        if not isinstance(point, list) or len(point) != 2:
            raise shape_error(f"Shape {index}: point {k} must be an [x, y] pair.", index, "points", point=k)
        x = within(number(point[0], index, "points"), width, index, "points")
        y = within(number(point[1], index, "points"), height, index, "points")
        points.append([x, y])
    if polygon_area(points) <= 1e-9:
        raise shape_error(f"Shape {index}: the polygon has no area.", index, "points")
    return {"type": "polygon", "points": points}


CHECKS = {"rect": check_rect, "ellipse": check_ellipse, "polygon": check_polygon}


def check_shape(shape: Any, index: int, width: int, height: int, max_points: int = MAX_POINTS) -> dict[str, Any]:
    """One checked, normalized shape (only its known fields), or a 422 naming the index and field."""
    if not isinstance(shape, dict):
        raise shape_error(f"Shape {index} must be an object.", index, "type")
    kind = shape.get("type")
    if kind not in FIELDS:
        raise shape_error(f"Shape {index}: type must be one of {', '.join(FIELDS)}.", index, "type")
    for field in FIELDS[kind]:
        if field not in shape:
            raise shape_error(f"Shape {index}: a {kind} needs {field}.", index, field)
    unknown = sorted(set(shape) - {"type", *FIELDS[kind]})
    if unknown:
        raise shape_error(f"Shape {index}: unknown field {unknown[0]!r} for a {kind}.", index, unknown[0])
    if kind == "polygon":
        return check_polygon(shape, index, width, height, max_points)
    return CHECKS[kind](shape, index, width, height)


def count_points(raw: list[Any]) -> int:
    """Points an annotation holds: a polygon's points, four for a rectangle or an ellipse (cheap, before checks)."""
    return sum(len(shape["points"]) if isinstance(shape, dict) and isinstance(shape.get("points"), list) else 4
               for shape in raw)


def check_shapes(raw: Any, width: int, height: int, *, max_points_per_polygon: int = MAX_POINTS,
                 max_points: int = MAX_TOTAL_POINTS) -> list[dict[str, Any]]:
    """The checked list of shapes for an image of ``width`` × ``height``, within the shape and point caps.

    The caps are counted before any coordinate is checked, so an oversized annotation costs little.
    """
    if not isinstance(raw, list):
        raise shape_error("shapes must be a list of shapes.", None, "shapes")
    if len(raw) > MAX_SHAPES:
        raise shape_error(f"An annotation holds at most {MAX_SHAPES} shapes.", None, "shapes",
                          max_shapes=MAX_SHAPES)
    points = count_points(raw)
    if points > max_points:
        raise ApiError(422, "too_many_points", f"An annotation holds at most {max_points} points "
                       f"(a rectangle or an ellipse counts 4); this one has {points}.", field="shapes",
                       max_points=max_points)
    return [check_shape(shape, index, width, height, max_points_per_polygon) for index, shape in enumerate(raw)]
