"""Annotations through HTTP: revisions, reading any revision, revert, the 409 conflict, lists, bad input."""
from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import ELLIPSE, POLYGON, RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.testing import auth, new_client, new_moderator  # noqa: E402

MOVED = {**RECT, "x": 50}


@pytest.fixture
def app(app_factory: Any) -> Any:
    return app_factory(plugins=("annotate",))


@pytest.fixture
def token(app: Any) -> str:
    return new_client(app)


@pytest.fixture
def dog(app: Any, token: str) -> str:
    return label_id(donate(app, token, ["dog", "cat"], seed=11), "dog")


def put(app: Any, token: str, annotation_id: str, shapes: list[Any], base: Any, status: int = 200) -> Any:
    return app.put_json(f"/api/v1/annotations/{annotation_id}", {"shapes": shapes, "base_revision": base},
                        headers=auth(token), status=status)


def test_create_answers_the_documented_shape(app: Any, token: str, dog: str) -> None:
    annotation = annotate(app, token, dog, [RECT]).json["annotation"]
    assert {"id", "image_label_id", "revision", "shapes"} <= set(annotation)
    assert annotation["image_label_id"] == dog and annotation["revision"] == 1
    assert annotation["shapes"] == [RECT]
    assert app.get(f"/api/v1/image-labels/{dog}/annotations").json["annotation"]["id"] == annotation["id"]


def test_second_post_is_a_conflict_naming_the_existing_annotation(app: Any, token: str, dog: str) -> None:
    first = annotate(app, token, dog, [RECT]).json["annotation"]
    error = annotate(app, new_client(app), dog, [ELLIPSE], status=409).json["error"]
    assert error["code"] == "conflict" and error["annotation_id"] == first["id"]
    assert app.get(f"/api/v1/annotations/{first['id']}").json["annotation"]["shapes"] == [RECT]


def test_every_save_is_a_revision_and_any_revision_can_be_read(app: Any, token: str, dog: str) -> None:
    annotation_id = annotate(app, token, dog, [RECT]).json["annotation"]["id"]
    other = new_client(app)
    second = put(app, other, annotation_id, [MOVED, ELLIPSE], 1).json["annotation"]
    assert second["revision"] == 2 and second["shapes"] == [MOVED, ELLIPSE]
    third = put(app, token, annotation_id, [POLYGON], 2).json["annotation"]
    assert third["revision"] == 3
    old = app.get(f"/api/v1/annotations/{annotation_id}?revision=1").json["annotation"]
    assert old["revision"] == 1 and old["latest_revision"] == 3 and old["shapes"] == [RECT]
    assert app.get(f"/api/v1/annotations/{annotation_id}?revision=2").json["annotation"]["shapes"] == [MOVED, ELLIPSE]
    assert app.get(f"/api/v1/annotations/{annotation_id}").json["annotation"]["shapes"] == [POLYGON]
    assert app.get(f"/api/v1/annotations/{annotation_id}?revision=4", status=404).json["error"]["code"] == "not_found"
    for bad in ("abc", "-1", "1.5", "9" * 12):
        assert app.get(f"/api/v1/annotations/{annotation_id}?revision={bad}", status=422).json["error"]["field"] \
            == "revision"


def test_put_with_a_stale_base_revision_is_a_409_and_changes_nothing(app: Any, token: str, dog: str) -> None:
    annotation_id = annotate(app, token, dog, [RECT]).json["annotation"]["id"]
    put(app, new_client(app), annotation_id, [ELLIPSE], 1)
    error = put(app, token, annotation_id, [POLYGON], 1, status=409).json["error"]
    assert error["code"] == "conflict" and error["revision"] == 2
    current = app.get(f"/api/v1/annotations/{annotation_id}").json["annotation"]
    assert current["revision"] == 2 and current["shapes"] == [ELLIPSE]
    assert put(app, token, annotation_id, [POLYGON], 2).json["annotation"]["revision"] == 3


@pytest.mark.parametrize("base", [None, "1", True, 0, 1.0, [1]])
def test_put_needs_an_integer_base_revision(app: Any, token: str, dog: str, base: Any) -> None:
    annotation_id = annotate(app, token, dog, [RECT]).json["annotation"]["id"]
    assert put(app, token, annotation_id, [RECT], base, status=422).json["error"]["field"] == "base_revision"


def test_revert_makes_a_new_revision_equal_to_the_old_one(app: Any, token: str, dog: str) -> None:
    annotation_id = annotate(app, token, dog, [RECT]).json["annotation"]["id"]
    put(app, token, annotation_id, [ELLIPSE], 1)
    url = f"/api/v1/annotations/{annotation_id}/revert"
    reverted = app.post_json(url, {"revision": 1}, headers=auth(token)).json["annotation"]
    assert reverted["revision"] == 3 and reverted["shapes"] == [RECT]
    assert app.post_json(url, {"revision": 2, "base_revision": 1}, headers=auth(token), status=409)
    assert app.post_json(url, {"revision": 9}, headers=auth(token), status=404).json["error"]["code"] == "not_found"
    assert app.post_json(url, {"revision": "1"}, headers=auth(token), status=422).json["error"]["field"] == "revision"
    assert app.post_json(url, {}, headers=auth(token), status=422).json["error"]["field"] == "revision"
    assert app.post_json(url, {"revision": 1}, status=401).json["error"]["code"] == "unauthenticated"


def test_writes_need_a_known_token(app: Any, token: str, dog: str) -> None:
    url = f"/api/v1/image-labels/{dog}/annotations"
    assert app.post_json(url, {"shapes": [RECT]}, status=401).json["error"]["code"] == "unauthenticated"
    assert app.post_json(url, {"shapes": [RECT]}, headers=auth("nonsense"), status=401)
    annotation_id = annotate(app, token, dog, [RECT]).json["annotation"]["id"]
    assert app.put_json(f"/api/v1/annotations/{annotation_id}", {"shapes": [], "base_revision": 1}, status=401)
    for path in (f"/api/v1/image-labels/{dog}/skip", f"/api/v1/image-labels/{dog}/not-annotatable"):
        assert app.post(path, status=401).json["error"]["code"] == "unauthenticated"


def test_unknown_ids_are_404(app: Any, token: str, dog: str) -> None:
    for bad in ("999999", "abc", "-3", "1" * 30):
        assert app.post_json(f"/api/v1/image-labels/{bad}/annotations", {"shapes": []}, headers=auth(token),
                             status=404).json["error"]["code"] == "not_found"
        assert app.get(f"/api/v1/annotations/{bad}", status=404).json["error"]["code"] == "not_found"
        assert app.put_json(f"/api/v1/annotations/{bad}", {"shapes": [], "base_revision": 1},
                            headers=auth(token), status=404)
        assert app.post_json(f"/api/v1/annotations/{bad}/revert", {"revision": 1}, headers=auth(token), status=404)
        assert app.get(f"/api/v1/images/{bad}/annotations", status=404)
        assert app.post(f"/api/v1/image-labels/{bad}/skip", headers=auth(token), status=404)
    assert app.delete(f"/api/v1/image-labels/{dog}/annotations", status=405).json["error"]["code"] \
        == "method_not_allowed"


def test_pending_images_are_invisible_to_others(app_factory: Any) -> None:
    app = app_factory(plugins=("annotate",), **{"imagemonkey.moderation": "pre"})
    donor, stranger = new_client(app), new_client(app)
    dog = label_id(donate(app, donor, ["dog"], seed=12), "dog")
    annotation_id = annotate(app, donor, dog, [RECT]).json["annotation"]["id"]
    assert annotate(app, stranger, dog, [RECT], status=404)
    assert app.get(f"/api/v1/annotations/{annotation_id}", headers=auth(stranger), status=404)
    assert app.get(f"/api/v1/annotations/{annotation_id}", status=404)
    assert app.get(f"/api/v1/annotations/{annotation_id}", headers=auth(donor)).json["annotation"]["shapes"] == [RECT]
    assert app.get(f"/api/v1/annotations/{annotation_id}", headers=auth(new_moderator(app)))


def test_image_annotations_paginate(app: Any, token: str) -> None:
    names = ["dog", "cat", "car", "tree", "chair"]
    image = donate(app, token, names, seed=13)
    for name in names:
        annotate(app, token, label_id(image, name), [RECT])
    seen, cursor = [], None
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = app.get(f"/api/v1/images/{image['id']}/annotations{query}").json
        assert len(page["annotations"]) <= 2
        seen += [a["label"] for a in page["annotations"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(names)
    assert app.get(f"/api/v1/images/{image['id']}/annotations?limit=0", status=400)
    assert app.get(f"/api/v1/images/{image['id']}/annotations?cursor=!!", status=400)
    assert app.get(f"/api/v1/images/{image['id']}/annotations?cursor=InNpbGx5Ig", status=400)


def test_writes_are_logged_and_a_moderator_revert_restores_others_work(app: Any, token: str, dog: str) -> None:
    vandal = new_client(app)
    annotation_id = annotate(app, token, dog, [RECT]).json["annotation"]["id"]
    put(app, vandal, annotation_id, [ELLIPSE], 1)
    image = app.get(f"/api/v1/image-labels/{dog}").json
    cat = label_id(app.get(f"/api/v1/images/{image['image_id']}").json, "cat")
    vandal_only = annotate(app, vandal, cat, [POLYGON]).json["annotation"]["id"]
    app.post(f"/api/v1/image-labels/{cat}/not-annotatable", headers=auth(vandal))
    kinds = [c["kind"] for c in app.get("/api/v1/contributors/me/contributions", headers=auth(vandal))
             .json["contributions"]]
    assert kinds.count("annotate.revision") == 2 and "annotate.not_annotatable" in kinds
    vandal_id = app.get("/api/v1/me", headers=auth(vandal)).json["id"]
    reverted = app.post(f"/api/v1/contributors/{vandal_id}/revert", headers=auth(new_moderator(app))).json["reverted"]
    assert reverted["annotate.revision"] == 2 and reverted["annotate.not_annotatable"] == 1
    restored = app.get(f"/api/v1/annotations/{annotation_id}").json["annotation"]
    assert restored["revision"] == 1 and restored["shapes"] == [RECT]
    assert app.get(f"/api/v1/annotations/{vandal_only}", status=404)
    assert app.get(f"/api/v1/annotations/{annotation_id}?revision=2", status=404)
    assert put(app, token, annotation_id, [POLYGON], 1).json["annotation"]["revision"] == 3


def test_hooks_contribute_statistics_actions_navigation_and_openapi(app: Any, token: str, dog: str) -> None:
    annotate(app, token, dog, [RECT, ELLIPSE])
    section = app.get("/api/v1/statistics").json["annotate"]
    assert section["annotated_labels"] == 1
    assert section["top_labels"] == [{"label": "dog", "count": 1}]
    assert sum(day["shapes"] for day in section["per_day"]) == 2
    actions = app.get("/api/v1/extension").json["actions"]
    assert {"id": "annotate", "title": "Outline it now", "contexts": ["image"], "url": "/annotate/{image_id}"} \
        in actions
    assert "/annotate" in app.get("/").text
    paths = app.get("/api/v1/openapi.json").json["paths"]
    for path, method in (("/api/v1/image-labels/{id}/annotations", "post"), ("/api/v1/annotations/{id}", "put"),
                         ("/api/v1/annotations/{id}/revert", "post"), ("/api/v1/images/{id}/annotations", "get"),
                         ("/api/v1/image-labels/{id}/skip", "post"),
                         ("/api/v1/image-labels/{id}/not-annotatable", "post")):
        assert method in paths[path]
    assert "annotate" in app.get("/api/v1/info").json["plugins"][0]["name"]


def test_editor_pages_render(app: Any, token: str, dog: str) -> None:
    image_id = app.get(f"/api/v1/image-labels/{dog}").json["image_id"]
    page = app.get(f"/annotate/{image_id}?label=dog")
    assert 'data-image-id="' + image_id + '"' in page.text and "editor.js" in page.text
    assert app.get("/annotate").status_int == 200
    assert app.get("/annotate/not-a-number", status=404)
    assert app.get("/annotate/static/editor.js").content_type == "text/javascript"


@pytest.mark.parametrize("value", [2**63, 2**64, 10**30, 2**31])
def test_huge_revision_numbers_are_4xx(app: Any, token: str, dog: str, value: int) -> None:
    annotation = annotate(app, token, dog, [RECT]).json["annotation"]
    path = f"/api/v1/annotations/{annotation['id']}"
    for answer in (
        app.put_json(path, {"shapes": [MOVED], "base_revision": value}, headers=auth(token), status="*"),
        app.post_json(f"{path}/revert", {"revision": value}, headers=auth(token), status="*"),
        app.post_json(f"{path}/revert", {"revision": 1, "base_revision": value}, headers=auth(token), status="*"),
        app.get(path, {"revision": str(value)}, status="*"),
    ):
        assert answer.status_int in (404, 409, 422), answer.text
        assert answer.json["error"]["code"]
    assert app.get(path).json["annotation"]["revision"] == 1


def test_forged_annotation_cursors(app: Any, token: str, dog: str) -> None:
    image_id = app.get(f"/api/v1/image-labels/{dog}").json["image_id"]
    for value in (2**63, 2**70, -5, "x", [1]):
        cursor = base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
        answer = app.get(f"/api/v1/images/{image_id}/annotations", {"cursor": cursor}, status="*")
        assert answer.status_int == 400, (value, answer.text)
