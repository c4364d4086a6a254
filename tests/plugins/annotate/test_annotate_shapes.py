"""Every shape rule, through the API: 422 ``invalid_shape`` naming the shape's index and the field."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import ELLIPSE, POLYGON, RECT, donate, label_id  # noqa: E402

from imagemonkey.testing import auth, new_client  # noqa: E402

W, H = 160, 120


@pytest.fixture
def target(app_factory: Any) -> tuple[Any, str, str]:
    app = app_factory(plugins=("annotate",))
    token = new_client(app)
    image = donate(app, token, ["dog"], seed=1, width=W, height=H)
    return app, token, label_id(image, "dog")


def post_raw(target: tuple[Any, str, str], body: str, status: int) -> Any:
    app, token, image_label_id = target
    return app.post(f"/api/v1/image-labels/{image_label_id}/annotations", body,
                    headers={**auth(token), "Content-Type": "application/json"}, status=status).json


BAD = [
    ({"type": "circle", "x": 1}, "type"),
    ("rect", "type"),
    ({"x": 1, "y": 1, "width": 2, "height": 2}, "type"),
    ({"type": "rect", "x": 1, "y": 1, "width": 2}, "height"),
    ({**RECT, "colour": "red"}, "colour"),
    ({**RECT, "x": "10"}, "x"),
    ({**RECT, "y": None}, "y"),
    ({**RECT, "width": True}, "width"),
    ({**RECT, "width": 0}, "width"),
    ({**RECT, "height": -5}, "height"),
    ({**RECT, "x": -1.5}, "x"),
    ({**RECT, "x": 150, "width": 11.5}, "width"),
    ({**RECT, "y": 100, "height": 21.01}, "height"),
    ({**ELLIPSE, "rx": 0}, "rx"),
    ({**ELLIPSE, "ry": -1}, "ry"),
    ({**ELLIPSE, "cx": 10, "rx": 11.5}, "rx"),
    ({**ELLIPSE, "cy": 200}, "cy"),
    ({**ELLIPSE, "cx": "NaN"}, "cx"),
    ({**ELLIPSE, "cy": "Infinity"}, "cy"),
    ({"type": "polygon", "points": [[1, 1], [5, 5]]}, "points"),
    ({"type": "polygon", "points": [[1, 1], [5, 5], [9, 9]]}, "points"),
    ({"type": "polygon", "points": [[1, 1], [5, 5], [9, "1"]]}, "points"),
    ({"type": "polygon", "points": [[1, 1], [5, 5], [9]]}, "points"),
    ({"type": "polygon", "points": [[1, 1], [5, 5], [9, 1, 3]]}, "points"),
    ({"type": "polygon", "points": [[1, 1], [5, 5], [170, 1]]}, "points"),
    ({"type": "polygon", "points": [[1, 1], [5, 5], [9, False]]}, "points"),
    ({"type": "polygon", "points": "1,1 5,5 9,1"}, "points"),
    ({"type": "polygon", "points": [[float(i % 100), float(i // 100)] for i in range(1001)]}, "points"),
]


@pytest.mark.parametrize(("shape", "field"), BAD)
def test_each_bad_shape_is_refused_naming_index_and_field(target: tuple[Any, str, str], shape: Any,
                                                          field: str) -> None:
    app, token, image_label_id = target
    error = app.post_json(f"/api/v1/image-labels/{image_label_id}/annotations", {"shapes": [RECT, POLYGON, shape]},
                          headers=auth(token), status=422).json["error"]
    assert error["code"] == "invalid_shape"
    assert error["shape"] == 2
    assert error["field"] == field
    assert "Shape 2" in error["message"]
    assert app.get(f"/api/v1/image-labels/{image_label_id}/annotations", status=404)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_json_literals_are_refused(target: tuple[Any, str, str], literal: str) -> None:
    body = '{"shapes": [{"type": "rect", "x": ' + literal + ', "y": 1, "width": 2, "height": 2}]}'
    error = post_raw(target, body, 422)["error"]
    assert (error["shape"], error["field"]) == (0, "x")


def test_shape_count_limit(target: tuple[Any, str, str]) -> None:
    app, token, image_label_id = target
    url = f"/api/v1/image-labels/{image_label_id}/annotations"
    error = app.post_json(url, {"shapes": [RECT] * 201}, headers=auth(token), status=422).json["error"]
    assert (error["code"], error["field"], error["max_shapes"]) == ("invalid_shape", "shapes", 200)
    assert len(app.post_json(url, {"shapes": [RECT] * 200}, headers=auth(token), status=201)
               .json["annotation"]["shapes"]) == 200


@pytest.mark.parametrize("shapes", [None, {"type": "rect"}, "rect", 5])
def test_shapes_must_be_a_list(target: tuple[Any, str, str], shapes: Any) -> None:
    app, token, image_label_id = target
    error = app.post_json(f"/api/v1/image-labels/{image_label_id}/annotations", {"shapes": shapes},
                          headers=auth(token), status=422).json["error"]
    assert error["field"] == "shapes"
    assert "shape" not in error


def test_missing_shapes_and_malformed_json(target: tuple[Any, str, str]) -> None:
    assert post_raw(target, "{}", 422)["error"]["field"] == "shapes"
    assert post_raw(target, '{"shapes": [', 400)["error"]["code"] == "malformed_json"
    assert post_raw(target, "[]", 400)["error"]["code"] == "malformed_json"


def test_tolerance_of_one_pixel_is_clamped_and_exact_edges_kept(target: tuple[Any, str, str]) -> None:
    app, token, image_label_id = target
    shapes = [{"type": "rect", "x": -0.9, "y": -1, "width": W + 1.8, "height": H + 2},
              {"type": "ellipse", "cx": W / 2, "cy": H / 2, "rx": W / 2 + 1, "ry": H / 2},
              {"type": "polygon", "points": [[-1, -1], [W + 1, 0], [W, H + 1]]}]
    stored = app.post_json(f"/api/v1/image-labels/{image_label_id}/annotations", {"shapes": shapes},
                           headers=auth(token), status=201).json["annotation"]["shapes"]
    assert stored[0] == {"type": "rect", "x": 0.0, "y": 0.0, "width": W, "height": H}
    assert stored[1] == {"type": "ellipse", "cx": W / 2, "cy": H / 2, "rx": W / 2 + 1, "ry": H / 2}
    assert stored[2]["points"] == [[0.0, 0.0], [W, 0.0], [W, H]]


def test_all_three_types_round_trip(target: tuple[Any, str, str]) -> None:
    app, token, image_label_id = target
    stored = app.post_json(f"/api/v1/image-labels/{image_label_id}/annotations", {"shapes": [RECT, ELLIPSE, POLYGON]},
                           headers=auth(token), status=201).json["annotation"]["shapes"]
    assert stored == [RECT, ELLIPSE, POLYGON]


def test_empty_shape_list_is_allowed(target: tuple[Any, str, str]) -> None:
    app, token, image_label_id = target
    annotation = app.post_json(f"/api/v1/image-labels/{image_label_id}/annotations", {"shapes": []},
                               headers=auth(token), status=201).json["annotation"]
    assert annotation["shapes"] == [] and annotation["revision"] == 1
