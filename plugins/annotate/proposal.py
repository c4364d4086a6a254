"""The inputs of an outline proposal (:mod:`.grabcut`), light enough to import at start-up (no OpenCV)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels: left, top, width, height."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Params:
    """How hard GrabCut works: the crop's longest side, GrabCut's iterations, the simplification tolerance
    (a fraction of the contour's length) and the most points the polygon may have."""

    working_size: int = 256
    iterations: int = 4
    epsilon: float = 0.004
    max_points: int = 200


Polyline = list[tuple[float, float]]
