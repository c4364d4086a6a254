"""``POST /api/v1/annotate/segment`` through HTTP: every kind of bad input, hidden images, the rate limit, and that
a proposal changes nothing in the database."""
from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import donate, label_id  # noqa: E402

from imagemonkey.testing import auth, new_client, new_moderator  # noqa: E402

URL = "/api/v1/annotate/segment"
BOX = {"x": 40, "y": 30, "width": 60, "height": 50}


@pytest.fixture
def app(app_factory: Any) -> Any:
    return app_factory(plugins=("annotate",))


@pytest.fixture
def token(app: Any) -> str:
    return new_client(app)


@pytest.fixture
def image(app: Any, token: str) -> dict[str, Any]:
    return donate(app, token, ["dog"], seed=3)  # 160 x 120


def error(app: Any, token: str | None, body: Any, status: int) -> dict[str, Any]:
    headers = auth(token) if token else {}
    if isinstance(body, bytes):
        return app.post(URL, body, headers={**headers, "Content-Type": "application/json"}, status=status).json["error"]
    return app.post_json(URL, body, headers=headers, status=status).json["error"]


def test_a_proposal_is_a_polygon_inside_the_image(app: Any, token: str, image: dict[str, Any]) -> None:
    answer = app.post_json(URL, {"image_id": image["id"], "box": BOX}, headers=auth(token)).json
    assert set(answer) == {"polygon", "found", "ms"} and len(answer["polygon"]) >= 3
    assert all(0 <= x <= 160 and 0 <= y <= 120 for x, y in answer["polygon"])


def grey_picture(app: Any, token: str) -> dict[str, Any]:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), (128, 128, 128)).save(buffer, "PNG")
    return app.post("/api/v1/images", params=[("label", "fog")], upload_files=[("image", "grey.png",
                    buffer.getvalue())], headers=auth(token), status=201).json["image"]


def test_nothing_to_find_answers_the_box_with_found_false(app: Any, token: str) -> None:
    image = grey_picture(app, token)
    answer = app.post_json(URL, {"image_id": image["id"], "box": BOX}, headers=auth(token)).json
    assert answer["found"] is False
    assert answer["polygon"] == [[40, 30], [100, 30], [100, 80], [40, 80]]


def test_strokes_that_leave_grabcut_one_side_only_find_nothing(app: Any, token: str, image: dict[str, Any]) -> None:
    everywhere = [[[0, y], [160, y]] for y in range(0, 121, 3)]
    for kind in ("inside", "outside"):
        answer = app.post_json(URL, {"image_id": image["id"], "box": {"x": 0, "y": 0, "width": 160, "height": 120},
                                     "scribbles": {kind: everywhere}}, headers=auth(token)).json
        assert answer["found"] is False, kind


def test_it_needs_a_token(app: Any, image: dict[str, Any]) -> None:
    assert error(app, None, {"image_id": image["id"], "box": BOX}, 401)["code"] == "unauthenticated"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_400(app: Any, token: str, body: bytes) -> None:
    assert error(app, token, body, 400)["code"] == "malformed_json"


@pytest.mark.parametrize(("change", "field"), [
    ({"image_id": None}, "image_id"), ({"image_id": 1}, "image_id"), ({"image_id": True}, "image_id"),
    ({"image_id": ["1"]}, "image_id"),
    ({"box": None}, "box"), ({"box": [1, 2, 3, 4]}, "box"), ({"box": {**BOX, "x": "40"}}, "box.x"),
    ({"box": {"x": 1, "y": 2, "width": 30}}, "box.height"), ({"box": {**BOX, "width": True}}, "box.width"),
    ({"scribbles": []}, "scribbles"), ({"scribbles": {"around": []}}, "scribbles"),
    ({"scribbles": {"inside": {}}}, "scribbles.inside"), ({"scribbles": {"inside": [[]]}}, "scribbles.inside"),
    ({"scribbles": {"outside": [[[1, 2, 3]]]}}, "scribbles.outside"),
    ({"scribbles": {"outside": [[["1", 2]]]}}, "scribbles.outside"),
    ({"scribbles": {"inside": [[[1, 2]]] * 51}}, "scribbles"),
])
def test_malformed_fields_are_400_naming_the_field(app: Any, token: str, image: dict[str, Any],
                                                   change: dict[str, Any], field: str) -> None:
    found = error(app, token, {"image_id": image["id"], "box": BOX, **change}, 400)
    assert found["code"] == "malformed_request" and found["field"] == field and found["message"]


@pytest.mark.parametrize("image_id", ["999999", "0", "-3", str(2**31), "1" * 30, "12a", ""])
def test_an_unknown_image_is_404(app: Any, token: str, image_id: str) -> None:
    assert error(app, token, {"image_id": image_id, "box": BOX}, 404)["code"] == "not_found"


def test_an_image_the_caller_may_not_see_is_404(app_factory: Any) -> None:
    app = app_factory(plugins=("annotate",), **{"imagemonkey.moderation": "pre"})
    donor = new_client(app)
    pending = donate(app, donor, ["dog"], seed=4)
    assert pending["status"] == "pending"
    assert error(app, new_client(app), {"image_id": pending["id"], "box": BOX}, 404)["code"] == "not_found"
    app.post_json(URL, {"image_id": pending["id"], "box": BOX}, headers=auth(donor), status=200)


def test_a_removed_image_is_404_also_for_a_moderator(app: Any, token: str, image: dict[str, Any]) -> None:
    moderator = new_moderator(app)
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "removed", "reason": "not ok"},
                  headers=auth(moderator))
    assert error(app, moderator, {"image_id": image["id"], "box": BOX}, 404)["code"] == "not_found"


@pytest.mark.parametrize("box", [{**BOX, "width": 0}, {**BOX, "height": -5}, {**BOX, "width": 3.5}])
def test_an_empty_box_is_422(app: Any, token: str, image: dict[str, Any], box: dict[str, Any]) -> None:
    found = error(app, token, {"image_id": image["id"], "box": box}, 422)
    assert found["code"] == "empty_box" and found["field"] == "box"


@pytest.mark.parametrize("box", [{**BOX, "x": -20}, {**BOX, "x": 150}, {"x": 0, "y": 0, "width": 160, "height": 500},
                                 {"x": 1000, "y": 1000, "width": 10, "height": 10}])
def test_a_box_outside_the_image_is_422(app: Any, token: str, image: dict[str, Any], box: dict[str, Any]) -> None:
    found = error(app, token, {"image_id": image["id"], "box": box}, 422)
    assert found["code"] == "box_outside" and found["field"] == "box"


def test_a_box_over_the_whole_image_still_gets_a_proposal(app: Any, token: str, image: dict[str, Any]) -> None:
    box = {"x": -0.5, "y": 0, "width": 161, "height": 120}  # within the shapes' 1 px tolerance
    polygon = app.post_json(URL, {"image_id": image["id"], "box": box}, headers=auth(token)).json["polygon"]
    assert all(0 <= x <= 160 and 0 <= y <= 120 for x, y in polygon)


def test_proposals_are_rate_limited_per_contributor(app_factory: Any) -> None:
    app = app_factory(plugins=("annotate",), **{"annotate.segment_rate": "2/minute"})
    token = new_client(app)
    image = donate(app, token, ["dog"], seed=5)
    for _ in range(2):
        app.post_json(URL, {"image_id": image["id"], "box": BOX}, headers=auth(token), status=200)
    response = app.post_json(URL, {"image_id": image["id"], "box": BOX}, headers=auth(token), status=429)
    assert response.json["error"]["code"] == "rate_limited" and int(response.headers["Retry-After"]) >= 1
    app.post_json(URL, {"image_id": image["id"], "box": BOX}, headers=auth(new_client(app)), status=200)


def test_a_proposal_saves_nothing(app: Any, token: str, image: dict[str, Any]) -> None:
    before = app.get(f"/api/v1/images/{image['id']}").json
    app.post_json(URL, {"image_id": image["id"], "box": BOX}, headers=auth(token))
    assert app.get(f"/api/v1/images/{image['id']}/annotations").json["annotations"] == []
    app.get(f"/api/v1/image-labels/{label_id(image, 'dog')}/annotations", status=404)
    assert app.get(f"/api/v1/images/{image['id']}").json == before


def test_a_bad_rate_setting_stops_start_up_naming_the_key(app_factory: Any) -> None:
    from imagemonkey.plugin import SettingError

    with pytest.raises(SettingError, match="annotate.segment_rate"):
        app_factory(plugins=("annotate",), **{"annotate.segment_rate": "lots"})


def test_two_apps_on_one_redis_share_the_proposal_rate(app_factory: Any) -> None:
    sys.path.insert(0, str(Path(__file__).parents[2] / "core"))
    from jobs_support import redis_settings

    shared = {**redis_settings(), "annotate.segment_rate": "2/hour"}
    one = app_factory(plugins=("annotate",), **shared)
    same_site = {key: one.app.registry.settings[key] for key in ("sqlalchemy.url", "imagemonkey.storage")}
    two = app_factory(plugins=("annotate",), **shared, **same_site)
    token = new_client(one)
    image = donate(one, token, ["dog"], seed=6)
    body = {"image_id": image["id"], "box": BOX}
    one.post_json(URL, body, headers=auth(token), status=200)
    two.post_json(URL, body, headers=auth(token), status=200)
    assert one.post_json(URL, body, headers=auth(token), status=429).json["error"]["code"] == "rate_limited"
