"""Helpers for the annotate plugin's tests: distinct pictures, donations, annotations."""
from __future__ import annotations

import io
from typing import Any

import numpy as np
from PIL import Image, ImageDraw
from webtest import TestApp

from imagemonkey.testing import auth


def picture(seed: int, width: int = 160, height: int = 120, fmt: str = "JPEG") -> bytes:
    """A distinct picture (random blocks and shapes, so perceptual hashes differ) encoded as ``fmt``."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    img = Image.fromarray(blocks, "RGB").resize((width, height), Image.NEAREST)
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = int(rng.integers(0, width - 20)), int(rng.integers(0, height - 20))
        size = int(rng.integers(8, 40))
        draw.ellipse((x, y, x + size, y + size), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    buffer = io.BytesIO()
    img.save(buffer, fmt, **({"quality": 92} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def donate(app: TestApp, token: str, labels: list[str], seed: int, width: int = 160, height: int = 120,
           fmt: str = "JPEG") -> dict[str, Any]:
    """Donate a new picture with ``labels``; returns the Image document."""
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    response = app.post("/api/v1/images", params=[("label", name) for name in labels],
                        upload_files=[("image", f"p{seed}.{ext}", picture(seed, width, height, fmt))],
                        headers=auth(token), status=201)
    return response.json["image"]


def label_id(image: dict[str, Any], name: str) -> str:
    """The id of the image label ``name`` of an Image document."""
    return next(il["id"] for il in image["labels"] if il["label"] == name)


def annotate(app: TestApp, token: str, image_label_id: str, shapes: list[dict[str, Any]],
             status: int = 201) -> Any:
    """POST the first revision of an image label's annotation."""
    return app.post_json(f"/api/v1/image-labels/{image_label_id}/annotations", {"shapes": shapes},
                         headers=auth(token), status=status)


RECT = {"type": "rect", "x": 10, "y": 20, "width": 30, "height": 40}
ELLIPSE = {"type": "ellipse", "cx": 80, "cy": 60, "rx": 20, "ry": 10}
POLYGON = {"type": "polygon", "points": [[100, 10], [150, 10], [150, 50], [120, 70]]}
