"""``POST /api/v1/annotate/segment``: an outline proposal (GrabCut) for a box drawn on an image; nothing is saved."""
from __future__ import annotations

import io
import time
from typing import Any

import numpy as np
from PIL import Image as PILImage
from pyramid.view import view_config

from imagemonkey.plugin import (
    check_rate,
    get_setting,
    get_visible_image,
    json_body,
    not_found,
    require_contributor,
    reserve_pixels,
)

from ..proposal import Box, Params, Polyline
from ..segment_input import read_box, read_image_id, read_scribbles


def segment_params(request: Any) -> Params:
    """GrabCut's effort from the ``annotate.segment_*`` settings; the polygon stays within the editor's caps."""
    return Params(working_size=get_setting(request, "annotate.segment_working_size"),
                  iterations=get_setting(request, "annotate.segment_iterations"),
                  epsilon=get_setting(request, "annotate.segment_epsilon"),
                  max_points=min(200, get_setting(request, "annotate.max_points_per_polygon")))


def _scale(points: list[Polyline], fx: float, fy: float) -> list[Polyline]:
    return [[(x * fx, y * fy) for x, y in line] for line in points]


def _corners(box: Box) -> list[list[float]]:
    right, bottom = box.x + box.width, box.y + box.height
    return [[box.x, box.y], [right, box.y], [right, bottom], [box.x, bottom]]


@view_config(route_name="annotate.segment", request_method="POST", renderer="json")
def segment(request: Any) -> dict[str, Any]:
    """A polygon proposal in the image's own coordinates, ``found`` false (and the box's corners) when GrabCut
    finds no object; runs on the medium rendition, within the decode pixel budget and ``annotate.segment_rate``."""
    started = time.perf_counter()
    contributor = require_contributor(request)
    check_rate(request.registry["annotate.segment_limiter"], f"contributor:{contributor.id}", "outline proposals")
    body = json_body(request)
    image = get_visible_image(request, read_image_id(body))
    if image.status == "removed":  # its files are deleted; moderators still see the row
        raise not_found("image")
    box = read_box(body, image.width, image.height)
    inside, outside = read_scribbles(body, image.width, image.height)
    from ..grabcut import propose  # OpenCV loads at the first proposal, not at start-up
    with PILImage.open(io.BytesIO(request.registry["blobstore"].get(image.medium_key))) as picture:
        with reserve_pixels(request, picture.width * picture.height):
            pixels = np.asarray(picture.convert("RGB"))
            fx, fy = pixels.shape[1] / image.width, pixels.shape[0] / image.height  # image → rendition pixels
            work_box = Box(box.x * fx, box.y * fy, box.width * fx, box.height * fy)
            polygon = propose(pixels, work_box, segment_params(request), _scale(inside, fx, fy),
                              _scale(outside, fx, fy))
    if polygon is None:
        answer = {"polygon": _corners(box), "found": False}
    else:
        answer = {"polygon": [[min(round(x / fx, 1), image.width), min(round(y / fy, 1), image.height)]
                              for x, y in polygon], "found": True}
    return {**answer, "ms": round((time.perf_counter() - started) * 1000, 1)}
