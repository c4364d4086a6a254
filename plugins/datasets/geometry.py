"""Shapes of the API (rect, ellipse, polygon) as the formats want them: polygons and boxes, clipped to the image."""
from __future__ import annotations

import math
from typing import Any

ELLIPSE_POINTS = 32
_UNIT = [(math.cos(2 * math.pi * i / ELLIPSE_POINTS), math.sin(2 * math.pi * i / ELLIPSE_POINTS))
         for i in range(ELLIPSE_POINTS)]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def polygon(shape: dict[str, Any], width: int, height: int) -> list[tuple[float, float]]:
    """The shape as a polygon in image pixels, each point clipped into the image."""
    if shape["type"] == "rect":
        x, y, w, h = shape["x"], shape["y"], shape["width"], shape["height"]
        points = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    elif shape["type"] == "ellipse":
        cx, cy, rx, ry = shape["cx"], shape["cy"], shape["rx"], shape["ry"]
        points = [(cx + rx * c, cy + ry * s) for c, s in _UNIT]
    else:
        points = [(x, y) for x, y in shape["points"]]
    return [(round(min(max(float(x), 0.0), width), 3), round(min(max(float(y), 0.0), height), 3))
            for x, y in points]


def box(points: list[tuple[float, float]]) -> Box:
    """The box around ``points``."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def area(points: list[tuple[float, float]]) -> float:
    """The polygon's area (shoelace)."""
    total = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))
    return round(abs(total) / 2.0, 3)


def instances(record: dict[str, Any]) -> list[tuple[str, list[tuple[float, float]], Box]]:
    """Every shape of a snapshot record as ``(label, polygon, box)``, in the record's order."""
    width, height = record["width"], record["height"]
    found = []
    for label in record["labels"]:
        for shape in label["shapes"]:
            points = polygon(shape, width, height)
            found.append((label["label"], points, box(points)))
    return found
