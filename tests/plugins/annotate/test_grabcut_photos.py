"""GrabCut proposals on real photographs, through HTTP: a rough box gives an outline close to one drawn by hand."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from grabcut_support import REFERENCES, iou, mask, photograph, png  # noqa: E402

from imagemonkey.testing import auth, new_client  # noqa: E402


@pytest.fixture
def app(app_factory: Any) -> Any:
    return app_factory(plugins=("annotate",))


def donate_photo(app: Any, token: str, name: str) -> dict[str, Any]:
    label = REFERENCES[name][0]
    return app.post("/api/v1/images", params=[("label", label)], upload_files=[("image", f"{name}.png",
                    png(photograph(name)))], headers=auth(token), status=201).json["image"]


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_a_box_gives_an_outline_close_to_the_hand_drawn_one(app: Any, name: str) -> None:
    token = new_client(app)
    image = donate_photo(app, token, name)
    _, (x, y, width, height), reference = REFERENCES[name]
    answer = app.post_json("/api/v1/annotate/segment", {"image_id": image["id"], "box": {
        "x": x, "y": y, "width": width, "height": height}}, headers=auth(token)).json
    assert answer["found"] is True and answer["ms"] >= 0
    assert 3 <= len(answer["polygon"]) <= 200
    assert iou(answer["polygon"], reference, image["width"], image["height"]) >= 0.7
    box_only = [[x, y], [x + width, y], [x + width, y + height], [x, y + height]]
    assert iou(answer["polygon"], reference, image["width"], image["height"]) > \
        iou(box_only, reference, image["width"], image["height"])


def test_coordinates_are_the_images_own_when_the_original_is_larger_than_the_rendition(app: Any) -> None:
    """A 2x upscaled cat (902 x 600 → medium 1024 keeps it; 2252 x 1500 is scaled down): the proposal is in the
    original's pixels."""
    token = new_client(app)
    pixels = np.repeat(np.repeat(photograph("chelsea"), 5, axis=0), 5, axis=1)  # 2255 x 1500
    image = app.post("/api/v1/images", params=[("label", "cat")], upload_files=[("image", "big.png", png(pixels))],
                     headers=auth(token), status=201).json["image"]
    assert image["width"] == 2255
    _, (x, y, width, height), reference = REFERENCES["chelsea"]
    answer = app.post_json("/api/v1/annotate/segment", {"image_id": image["id"], "box": {
        "x": 5 * x, "y": 5 * y, "width": 5 * width, "height": 5 * height}}, headers=auth(token)).json
    assert iou(answer["polygon"], [[5 * px, 5 * py] for px, py in reference], 2255, 1500) >= 0.7


def test_scribbles_outside_take_a_region_out_of_the_proposal(app: Any) -> None:
    token = new_client(app)
    image = donate_photo(app, token, "coffee")
    _, (x, y, width, height), _ = REFERENCES["coffee"]
    body = {"image_id": image["id"], "box": {"x": x, "y": y, "width": width, "height": height}}
    plain = app.post_json("/api/v1/annotate/segment", body, headers=auth(token)).json["polygon"]
    cut = [[[60, 230], [200, 230]]]  # from the table across the saucer's left rim to the cup
    scribbled = app.post_json("/api/v1/annotate/segment", {**body, "scribbles": {"outside": cut}},
                              headers=auth(token)).json["polygon"]
    assert mask(scribbled, 600, 400)[230, 120] == 0 and mask(plain, 600, 400)[230, 120] == 1
    assert mask(scribbled, 600, 400).sum() < mask(plain, 600, 400).sum()


def test_scribbles_inside_add_a_region_to_the_proposal(app: Any) -> None:
    """A box down to the astronaut's collar leaves her dark collar out; a stroke across it puts it in."""
    token = new_client(app)
    image = donate_photo(app, token, "astronaut")
    body = {"image_id": image["id"], "box": {"x": 145, "y": 8, "width": 165, "height": 210}}
    plain = app.post_json("/api/v1/annotate/segment", body, headers=auth(token)).json["polygon"]
    stroke = [[[200, 195], [260, 195]]]
    scribbled = app.post_json("/api/v1/annotate/segment", {**body, "scribbles": {"inside": stroke}},
                              headers=auth(token)).json["polygon"]
    assert mask(plain, 512, 512)[195, 230] == 0 and mask(scribbled, 512, 512)[195, 230] == 1
    assert mask(scribbled, 512, 512).sum() > mask(plain, 512, 512).sum()
