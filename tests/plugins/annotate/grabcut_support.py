"""Helpers for the GrabCut tests and benchmark: scikit-image's photographs, hand-drawn reference outlines, IoU.

The reference polygons were drawn once by hand on a 25 px grid over each photograph (before any proposal was run),
in the photograph's own pixels; each box is the rough box a person would drag around the same object.
"""
from __future__ import annotations

import io
from typing import Any

import cv2
import numpy as np
from PIL import Image

# name: (the object, the rough box x, y, width, height, the hand-drawn outline)
REFERENCES: dict[str, tuple[str, tuple[int, int, int, int], list[list[int]]]] = {
    "chelsea": ("cat", (0, 0, 400, 300), [
        [0, 70], [15, 40], [30, 0], [395, 0], [385, 30], [370, 60], [365, 100], [362, 150], [355, 200],
        [345, 240], [335, 270], [325, 299], [0, 299]]),
    "coffee": ("cup", (65, 8, 425, 390), [
        [78, 200], [85, 150], [105, 115], [140, 90], [172, 78], [175, 55], [200, 30], [240, 18], [290, 15],
        [340, 20], [380, 35], [400, 60], [415, 68], [425, 75], [422, 110], [440, 130], [465, 165], [478, 210],
        [475, 260], [455, 300], [420, 340], [370, 370], [310, 387], [250, 385], [190, 370], [140, 340],
        [100, 295], [82, 250]]),
    "astronaut": ("head", (145, 8, 165, 170), [
        [222, 15], [250, 17], [275, 28], [293, 45], [301, 65], [300, 90], [295, 110], [285, 125], [278, 135],
        [270, 150], [265, 170], [190, 172], [185, 150], [178, 128], [168, 118], [157, 100], [152, 80],
        [155, 58], [165, 38], [185, 22]]),
}


def photograph(name: str) -> np.ndarray:
    """scikit-image's photograph ``name`` as RGB pixels."""
    from skimage import data

    return getattr(data, name)()


def png(pixels: np.ndarray) -> bytes:
    """``pixels`` encoded losslessly."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def mask(polygon: list[Any], width: int, height: int) -> np.ndarray:
    """The pixels inside ``polygon``."""
    filled = np.zeros((height, width), np.uint8)
    cv2.fillPoly(filled, [np.round(np.array(polygon, np.float64)).astype(np.int32)], 1)
    return filled.astype(bool)


def iou(a: list[Any], b: list[Any], width: int, height: int) -> float:
    """Intersection over union of two polygons' pixels."""
    first, second = mask(a, width, height), mask(b, width, height)
    return float((first & second).sum() / (first | second).sum())
