"""Helpers for validate's tests: distinct pictures, donations, votes, apps."""
from __future__ import annotations

import io
from typing import Any

import numpy as np
from PIL import Image, ImageDraw
from webtest import TestApp

from imagemonkey.testing import auth, settle_now

PLUGINS = ("validate",)


def picture(seed: int, size: int = 96) -> bytes:
    """A JPEG of random shapes on noise: different seeds are never near duplicates."""
    rng = np.random.default_rng(seed)
    img = Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        x, y = rng.integers(0, size, 2)
        w, h = rng.integers(10, size // 2, 2)
        draw.rectangle((int(x), int(y), int(x + w), int(y + h)), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def donate(app: TestApp, token: str, labels: tuple[str, ...] = ("dog",), seed: int = 0) -> dict[str, Any]:
    """Donate a fresh picture with ``labels``; returns the Image JSON."""
    response = app.post("/api/v1/images", params=[("label", label) for label in labels],
                        upload_files=[("image", f"{seed}.jpg", picture(seed))], headers=auth(token), status=201)
    return response.json["image"]


def vote(app: TestApp, token: str, image_label_id: str, value: str, status: int = 200) -> Any:
    """POST a vote on an image label."""
    return app.post_json(f"/api/v1/image-labels/{image_label_id}/votes", {"vote": value}, headers=auth(token),
                         status=status).json


def vote_settled(app: TestApp, token: str, image_label_id: str, value: str) -> dict[str, Any]:
    """POST a vote, wait until it is settled, and return the ImageLabel JSON as settled."""
    answer = vote(app, token, image_label_id, value)
    assert answer["settlement"] == "pending" and answer["vote"] == value
    settle_now(app)
    doc = image_label(app, image_label_id)
    assert doc["settlement"] == "settled"
    return doc


def next_task(app: TestApp, token: str, **params: str) -> dict[str, Any] | None:
    """The next validate task for ``token`` (None on 204)."""
    response = app.get("/api/v1/tasks/next", params={"kind": "validate", **params}, headers=auth(token))
    return None if response.status_int == 204 else response.json["task"]


def image_label(app: TestApp, image_label_id: str) -> dict[str, Any]:
    """The ImageLabel JSON."""
    return app.get(f"/api/v1/image-labels/{image_label_id}").json
