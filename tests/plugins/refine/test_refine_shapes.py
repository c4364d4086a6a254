"""Properties of outlined objects through HTTP: ``/api/v1/shapes/{id}/properties``, shape tasks, settlement,
errors, COCO attributes per shape, a revert and a claim, and refine without annotate."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from webtest import TestApp

from imagemonkey.export import run_export
from imagemonkey.testing import auth, new_client, new_moderator

pytest.importorskip("imagemonkey_annotate")
sys.path.insert(0, str(Path(__file__).parents[1] / "annotate"))
from annotate_support import ELLIPSE, RECT, annotate, donate, label_id  # noqa: E402

PASSWORD = "plum-harbor-quietly-77"


def shape_props(shape_id: str) -> str:
    """The properties path of a shape."""
    return f"/api/v1/shapes/{shape_id}/properties"


def answer(app: TestApp, token: str, shape_id: str, value: str, status: int = 200, **body: Any) -> dict[str, Any]:
    """POST one answer about a shape."""
    return app.post_json(shape_props(shape_id), {"property": "color", "value": value, **body}, headers=auth(token),
                         status=status).json


def next_task(app: TestApp, token: str, status: int = 200) -> dict[str, Any] | None:
    """The caller's next refine task (None on 204)."""
    response = app.get("/api/v1/tasks/next", {"kind": "refine"}, headers=auth(token), status=status)
    return response.json["task"] if status == 200 else None


@pytest.fixture(params=[("annotate", "refine"), ("validate", "annotate", "refine")], ids=["annotate", "all-three"])
def outlined(app_factory: Callable[..., TestApp], request: pytest.FixtureRequest) -> dict[str, Any]:
    """A dog outlined with two shapes (a rectangle and an ellipse)."""
    app = app_factory(plugins=request.param)
    donor = new_client(app)
    image = donate(app, donor, ["dog"], seed=51)
    annotation = annotate(app, donor, label_id(image, "dog"), [RECT, ELLIPSE]).json["annotation"]
    return {"app": app, "donor": donor, "image": image, "il": label_id(image, "dog"), "annotation": annotation}


def shape_ids_of(app: TestApp, token: str, count: int) -> dict[str, dict[str, Any]]:
    """The shapes refine offers one worker, by id (answering each so the next comes)."""
    found: dict[str, dict[str, Any]] = {}
    for _ in range(count):
        task = next_task(app, token)
        assert task is not None and "shape" in task, task
        found[task["shape"]["id"]] = task
        answer(app, token, task["shape"]["id"], "brown")
    return found


def test_outlined_objects_are_asked_first_and_settle_on_their_own(outlined: dict[str, Any]) -> None:
    app, il = outlined["app"], outlined["il"]
    worker = new_client(app)
    tasks = shape_ids_of(app, worker, 2)
    assert sorted(task["shape"]["type"] for task in tasks.values()) == ["ellipse", "rect"]
    for task in tasks.values():
        assert task["image_label"] == il and task["image"]["id"] == outlined["image"]["id"]
        assert task["property"] == "color" and "brown" in task["choices"] and task["examples"] == []
    rect_id = next(i for i, task in tasks.items() if task["shape"]["type"] == "rect")
    assert tasks[rect_id]["shape"] == {**RECT, "id": rect_id}
    assert tasks[rect_id]["question"] == "What color is this dog in the outline?"
    then = next_task(app, worker)  # both shapes answered: the image label itself comes next
    assert then is not None and "shape" not in then and then["image_label"] == il
    for _ in range(3):
        summary = answer(app, new_client(app), rect_id, "black")
    assert summary["shape"] == rect_id and summary["image_label"] == il
    colour = summary["properties"]["color"]
    assert colour["answers"]["black"] == 3 and colour["answers"]["brown"] == 1 and colour["settled"] is None
    colour = answer(app, new_client(app), rect_id, "black")["properties"]["color"]
    assert colour["settled"] == "black"  # four against one: ahead by the margin of three
    assert app.get(shape_props(rect_id)).json["properties"]["color"]["settled"] == "black"
    own = app.get(f"/api/v1/image-labels/{il}/properties").json["properties"]["color"]
    assert own["settled"] is None and sum(own["answers"].values()) == 0  # the image label's answers are apart
    assert app.get(f"/api/v1/image-labels/{il}").json["properties"] == {}
    found = app.get("/api/v1/images", {"q": "dog[color=black]"}).json["images"]
    assert [image["id"] for image in found] == [outlined["image"]["id"]]  # one outlined dog of it is black
    others = {task["shape"]["id"] for task in (next_task(app, new_client(app)) for _ in range(3))}
    assert others == set(tasks) - {rect_id}  # a settled shape is offered to nobody


def test_bad_shape_answers(outlined: dict[str, Any]) -> None:
    app, token = outlined["app"], new_client(outlined["app"])
    shape_id = next_task(app, token)["shape"]["id"]
    assert answer(app, token, shape_id, "purple", status=422)["error"]["code"] == "unknown_value"
    assert answer(app, token, shape_id, "big", status=422, property="size")["error"]["code"] == "unknown_property"
    assert app.post_json(shape_props(shape_id), {"property": "color"}, headers=auth(token),
                         status=422).json["error"]["code"] == "invalid"
    assert app.post_json(shape_props(shape_id), {"property": "color", "value": "brown"},
                         status=401).json["error"]["code"] == "unauthenticated"
    for missing in ("999999", "abc", "99999999999"):
        assert answer(app, token, missing, "brown", status=404)["error"]["code"] == "not_found"
        assert app.get(shape_props(missing), status=404).json["error"]["code"] == "not_found"
    assert app.get(shape_props(shape_id)).json["properties"]["color"]["mine"] is None  # nothing was stored


def test_a_shape_a_revision_removed_is_gone_and_one_it_kept_keeps_its_answers(outlined: dict[str, Any]) -> None:
    app, donor = outlined["app"], outlined["donor"]
    worker = new_client(app)
    tasks = shape_ids_of(app, worker, 2)
    by_type = {task["shape"]["type"]: shape_id for shape_id, task in tasks.items()}
    annotation = outlined["annotation"]
    app.put_json(f"/api/v1/annotations/{annotation['id']}", {"shapes": [RECT], "base_revision": 1},
                 headers=auth(donor))
    assert app.get(shape_props(by_type["ellipse"]), status=404).json["error"]["code"] == "not_found"
    assert answer(app, new_client(app), by_type["ellipse"], "brown", status=404)["error"]["code"] == "not_found"
    kept = app.get(shape_props(by_type["rect"]), headers=auth(worker)).json["properties"]["color"]
    assert kept["mine"] == "brown" and kept["answers"]["brown"] == 1


def test_a_hidden_image_hides_its_shapes(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("annotate", "refine"), **{"imagemonkey.moderation": "pre"})
    donor = new_client(app)
    image = donate(app, donor, ["dog"], seed=52)
    assert image["status"] == "pending"
    annotate(app, donor, label_id(image, "dog"), [RECT])
    shape_id = next_task(app, donor)["shape"]["id"]  # the donor sees their own pending picture
    stranger = new_client(app)
    assert app.get(shape_props(shape_id), headers=auth(stranger), status=404).json["error"]["code"] == "not_found"
    assert answer(app, stranger, shape_id, "brown", status=404)["error"]["code"] == "not_found"
    assert next_task(app, stranger, status=204) is None


def test_refine_alone_has_no_shapes(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",))
    donor = new_client(app)
    image = donate(app, donor, ["dog"], seed=53)
    assert app.get(shape_props("1"), status=404).json["error"]["code"] == "not_found"
    assert answer(app, donor, "1", "brown", status=404)["error"]["code"] == "not_found"
    task = next_task(app, new_client(app))
    assert task is not None and "shape" not in task and task["image_label"] == label_id(image, "dog")
    assert task["question"] == "What color is this dog?"
    (action,) = [a for a in app.get("/api/v1/extension").json["actions"] if a["id"] == "refine"]
    assert action["kind"] == "task" and action["contexts"] == ["popup"] and action["task"]["kind"] == "refine"
    assert action["task"]["answer"] == {"path": "/api/v1/image-labels/{image_label_id}/properties",
                                        "shape_path": "/api/v1/shapes/{shape_id}/properties", "field": "value",
                                        "from_task": ["property"], "choices": "task"}
    paths = app.get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/api/v1/shapes/{id}/properties"]) == {"get", "post"}


def test_coco_carries_each_outlined_objects_own_values(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    from pycocotools.coco import COCO

    app = app_factory(plugins=("annotate", "refine"))
    donor = new_client(app)
    image = donate(app, donor, ["dog"], seed=54)
    il = label_id(image, "dog")
    annotate(app, donor, il, [RECT, ELLIPSE])
    tasks = shape_ids_of(app, new_client(app), 2)
    rect_id = next(i for i, task in tasks.items() if task["shape"]["type"] == "rect")
    crowd = [new_client(app) for _ in range(5)]
    for token in crowd:
        answer(app, token, rect_id, "black")
        app.post_json(f"/api/v1/image-labels/{il}/properties", {"property": "color", "value": "brown"},
                      headers=auth(token))
    run_export(app.app.registry, "coco", tmp_path, copy_images=False)
    coco = COCO(str(tmp_path / "annotations.json"))
    found = {len(ann["segmentation"][0]): ann["attributes"] for ann in coco.loadAnns(coco.getAnnIds())}
    assert found == {8: {"color": "black"}, 64: {"color": "brown"}}  # the rectangle's own value over the label's


def test_a_revert_and_a_claim_cover_shape_answers(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("annotate", "refine"))
    donor = new_client(app)
    image = donate(app, donor, ["dog"], seed=55)
    annotate(app, donor, label_id(image, "dog"), [RECT])
    vandals = [new_client(app) for _ in range(3)]
    shape_id = next_task(app, vandals[0])["shape"]["id"]
    for token in vandals:
        answer(app, token, shape_id, "white")
    assert app.get(shape_props(shape_id)).json["properties"]["color"]["settled"] == "white"
    moderator = new_moderator(app)
    for token in vandals:
        who = app.get("/api/v1/me", headers=auth(token)).json["id"]
        reverted = app.post(f"/api/v1/contributors/{who}/revert", headers=auth(moderator)).json["reverted"]
        assert reverted["refine.answer"] == 1
    colour = app.get(shape_props(shape_id)).json["properties"]["color"]
    assert colour["settled"] is None and colour["answers"]["white"] == 0
    account = app.post_json("/api/v1/accounts", {"username": "ines", "password": PASSWORD}, status=201).json["token"]
    answer(app, account, shape_id, "brown")
    anonymous = new_client(app)
    answer(app, anonymous, shape_id, "black")
    session = app.post_json("/api/v1/sessions", {"username": "ines", "password": PASSWORD, "claim": True},
                            headers=auth(anonymous), status=201).json
    assert session["claimed"]["refine.answer"] == 0  # the one answer both gave stays the account's
    colour = app.get(shape_props(shape_id), headers=auth(account)).json["properties"]["color"]
    assert colour["mine"] == "brown" and colour["answers"]["black"] == 0 and colour["answers"]["brown"] == 1
