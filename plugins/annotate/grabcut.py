"""Outline proposals: GrabCut on a downscaled crop around a box, the largest contour, a simplified polygon.

Pure image work (NumPy and OpenCV), no web app: :func:`propose` takes decoded RGB pixels and a box in those
pixels' coordinates and answers a polygon in the same coordinates. The work is bounded: the crop (the box and a
margin) is scaled down to at most ``working_size`` pixels on its longest side before GrabCut runs, so a proposal
costs the same for a 1 MP and a 24 MP picture. The web app imports this module (and OpenCV) at the first proposal,
not at start-up.
"""
from __future__ import annotations

import cv2
import numpy as np

from .proposal import Box, Params, Polyline

MARGIN = 0.1  # of the box's longer side, added around it (at least MIN_MARGIN px) so GrabCut sees background
MIN_MARGIN = 8
SCRIBBLE_WIDTH = 3  # working pixels


def _crop(box: Box, width: int, height: int) -> tuple[int, int, int, int]:
    margin = max(MIN_MARGIN, MARGIN * max(box.width, box.height))
    left, top = max(0, int(box.x - margin)), max(0, int(box.y - margin))
    right = min(width, int(np.ceil(box.x + box.width + margin)))
    bottom = min(height, int(np.ceil(box.y + box.height + margin)))
    return left, top, right, bottom


def _initial_mask(shape: tuple[int, int], rect: tuple[int, int, int, int], inside: list[Polyline],
                  outside: list[Polyline]) -> np.ndarray:
    mask = np.full(shape, cv2.GC_BGD, np.uint8)
    x0, y0, x1, y1 = rect
    mask[y0:y1, x0:x1] = cv2.GC_PR_FGD
    if not (mask == cv2.GC_BGD).any():  # the box covers the whole picture: its border is probably background
        mask[[0, -1], :] = cv2.GC_PR_BGD
        mask[:, [0, -1]] = cv2.GC_PR_BGD
    for lines, value in ((outside, cv2.GC_BGD), (inside, cv2.GC_FGD)):
        for line in lines:
            points = np.round(np.array(line, np.float64)).astype(np.int32).reshape(-1, 1, 2)
            cv2.polylines(mask, [points], False, int(value), SCRIBBLE_WIDTH)
            if len(line) == 1:
                cv2.circle(mask, tuple(int(v) for v in points[0, 0]), SCRIBBLE_WIDTH, int(value), -1)
    return mask


def _largest_polygon(foreground: np.ndarray, params: Params) -> np.ndarray | None:
    contours, _ = cv2.findContours(foreground, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    if cv2.contourArea(contour) < 4:
        return None
    epsilon = max(0.5, params.epsilon * cv2.arcLength(contour, True))
    polygon = cv2.approxPolyDP(contour, epsilon, True)
    while len(polygon) > params.max_points:
        epsilon *= 1.5
        polygon = cv2.approxPolyDP(contour, epsilon, True)
    return polygon.reshape(-1, 2).astype(np.float64) if len(polygon) >= 3 else None


def propose(pixels: np.ndarray, box: Box, params: Params, inside: list[Polyline] | None = None,
            outside: list[Polyline] | None = None) -> list[list[float]] | None:
    """The outline GrabCut finds in ``box`` of RGB ``pixels`` (H x W x 3, uint8), as polygon points in the pixels'
    coordinates; ``inside``/``outside`` scribbles (polylines, same coordinates) mark pixels as surely object or
    surely background. None when GrabCut finds no object."""
    height, width = pixels.shape[:2]
    left, top, right, bottom = _crop(box, width, height)
    scale = min(1.0, params.working_size / max(right - left, bottom - top))
    crop = np.ascontiguousarray(pixels[top:bottom, left:right, ::-1])  # OpenCV works in BGR
    if scale < 1.0:
        size = (max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale)))
        crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)

    def to_work(line: Polyline) -> Polyline:
        return [((px - left) * scale, (py - top) * scale) for px, py in line]

    h, w = crop.shape[:2]
    x0, y0 = int((box.x - left) * scale), int((box.y - top) * scale)
    x1 = min(w, max(x0 + 1, int(np.ceil((box.x + box.width - left) * scale))))
    y1 = min(h, max(y0 + 1, int(np.ceil((box.y + box.height - top) * scale))))
    mask = _initial_mask((h, w), (x0, y0, x1, y1), [to_work(line) for line in inside or []],
                         [to_work(line) for line in outside or []])
    sure_or_probable = (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
    if sure_or_probable.all() or not sure_or_probable.any():  # strokes left GrabCut one side only: nothing to learn
        return None
    background, foreground = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(crop, mask, None, background, foreground, params.iterations, cv2.GC_INIT_WITH_MASK)
    chosen = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.uint8)
    polygon = _largest_polygon(chosen, params)
    if polygon is None:
        return None
    polygon = polygon / scale + (left, top)
    polygon[:, 0] = polygon[:, 0].clip(0, width)
    polygon[:, 1] = polygon[:, 1].clip(0, height)
    return [[round(float(x), 1), round(float(y), 1)] for x, y in polygon]
