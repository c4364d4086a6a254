"""Refine through HTTP on a real, migrated database: answers, settlement, errors, tasks, query, revert."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp

from imagemonkey.plugin import SettingError, hookimpl
from imagemonkey.testing import auth, donate, new_client, new_moderator


def props(image_label_id: str) -> str:
    """The properties path of an image label."""
    return f"/api/v1/image-labels/{image_label_id}/properties"


def answer(app: TestApp, token: str, image_label_id: str, value: str, prop: str = "color",
           status: int = 200) -> dict[str, Any]:
    """POST one answer."""
    return app.post_json(props(image_label_id), {"property": prop, "value": value}, headers=auth(token),
                         status=status).json


def labelled(app: TestApp, label: str = "dog", **fields: str) -> tuple[str, dict[str, Any]]:
    """A fresh donor's token and their donated image (one label)."""
    donor = new_client(app)
    return donor, donate(app, donor, labels=(label,), **fields).json["image"]


@pytest.fixture(params=[("refine",), ("refine", "validate")], ids=["alone", "with-validate"])
def rapp(app_factory: Callable[..., TestApp], request: pytest.FixtureRequest) -> TestApp:
    return app_factory(plugins=request.param)


def test_answers_settle_by_a_margin_of_three_and_are_changeable(rapp: TestApp) -> None:
    _, image = labelled(rapp)
    il = image["labels"][0]["id"]
    crowd = [new_client(rapp) for _ in range(6)]
    answer(rapp, crowd[0], il, "black")
    for token in crowd[1:4]:
        summary = answer(rapp, token, il, "brown")
    assert summary["properties"]["color"]["answers"]["brown"] == 3
    assert summary["properties"]["color"]["settled"] is None  # 3 against 1: ahead by 2 only
    summary = answer(rapp, crowd[4], il, "brown")
    assert summary["properties"]["color"]["settled"] == "brown"
    assert summary["properties"]["color"]["mine"] == "brown"
    changed = answer(rapp, crowd[4], il, "black")  # one answer per contributor: changing it unsettles
    assert changed["properties"]["color"]["answers"] == {**dict.fromkeys(changed["properties"]["color"]["choices"], 0),
                                                         "black": 2, "brown": 3}
    assert changed["properties"]["color"]["settled"] is None
    assert rapp.get(props(il)).json["properties"]["color"]["mine"] is None
    answer(rapp, crowd[4], il, "brown")
    answer(rapp, crowd[5], il, "brown")
    doc = rapp.get(f"/api/v1/image-labels/{il}").json
    assert doc["properties"] == {"color": "brown"}
    image_doc = rapp.get(f"/api/v1/images/{image['id']}").json
    assert image_doc["labels"][0]["properties"] == {"color": "brown"}
    page = rapp.get(f"/images/{image['id']}")
    assert 'id="refine-panel"' in page and "<li>dog: color <strong>brown</strong></li>" in page


@pytest.mark.parametrize("body, code", [
    ({"property": "size", "value": "big"}, "unknown_property"),
    ({"property": "color", "value": "purple"}, "unknown_value"),
    ({"property": "color"}, "invalid"),
    ({"value": "brown"}, "invalid"),
    ({"property": 3, "value": "brown"}, "invalid"),
])
def test_bad_answers_are_422_with_a_clear_code(app_factory: Callable[..., TestApp], body: dict[str, Any],
                                               code: str) -> None:
    app = app_factory(plugins=("refine",))
    _, image = labelled(app)
    error = app.post_json(props(image["labels"][0]["id"]), body, headers=auth(new_client(app)), status=422).json
    assert error["error"]["code"] == code and error["error"]["message"]


def test_the_image_page_has_no_panel_before_a_value_settles(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",))
    _, image = labelled(app)
    answer(app, new_client(app), image["labels"][0]["id"], "brown")
    assert 'id="refine-panel"' not in app.get(f"/images/{image['id']}")


def test_a_label_without_properties_and_unknown_or_hidden_labels(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",), **{"imagemonkey.moderation": "pre"})
    token = new_client(app)
    donor, image = labelled(app, "apple")
    error = answer(app, donor, image["labels"][0]["id"], "red", status=422)["error"]
    assert error["code"] in ("no_properties", "unknown_property")
    assert answer(app, token, "999999", "brown", status=404)["error"]["code"] == "not_found"
    assert app.get(props("abc"), status=404).json["error"]["code"] == "not_found"
    assert image["status"] == "pending"  # pre-moderated: only its donor and moderators see it
    assert answer(app, token, image["labels"][0]["id"], "brown", status=404)["error"]["code"] == "not_found"
    assert app.post_json(props(image["labels"][0]["id"]), {"property": "color", "value": "brown"},
                         status=401).json["error"]["code"] == "unauthenticated"


def test_tasks_offer_unsettled_unanswered_properties(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",))
    _, dog = labelled(app)
    labelled(app, "apple")
    token = new_client(app)
    task = app.get("/api/v1/tasks/next", {"kind": "refine"}, headers=auth(token)).json["task"]
    assert task["kind"] == "refine" and task["image_label"] == dog["labels"][0]["id"]
    assert task["image"]["id"] == dog["id"] and task["property"] == "color" and "brown" in task["choices"]
    answer(app, token, task["image_label"], "brown")
    assert app.get("/api/v1/tasks/next", {"kind": "refine"}, headers=auth(token), status=204)
    others = [new_client(app) for _ in range(3)]
    answer(app, others[0], task["image_label"], "brown")
    assert app.get("/api/v1/tasks/next", {"kind": "refine"}, headers=auth(others[2])).json["task"]
    answer(app, new_client(app), task["image_label"], "brown")  # settled now: offered to nobody
    assert app.get("/api/v1/tasks/next", {"kind": "refine"}, headers=auth(others[2]), status=204)


def test_the_query_finds_settled_values(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",))
    crowd = [new_client(app) for _ in range(3)]
    found: dict[str, list[str]] = {"brown": [], "black": []}
    for i, colour in enumerate(["brown", "black", "brown", None]):
        _, image = labelled(app)
        if colour is not None:
            for token in crowd:
                answer(app, token, image["labels"][0]["id"], colour)
            found[colour].append(image["id"])
        if i == 0:  # a brown cat is not a brown dog
            labelled(app, "cat")
    for colour, expected in found.items():
        images = app.get("/api/v1/images", {"q": f"dog[color={colour}]"}).json["images"]
        assert sorted(image["id"] for image in images) == sorted(expected)
    assert app.get("/api/v1/images", {"q": "dog[color=white]"}).json["images"] == []


def test_a_revert_removes_answers_and_settles_again(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",))
    _, image = labelled(app)
    il = image["labels"][0]["id"]
    vandals = [new_client(app) for _ in range(3)]
    for token in vandals:
        answer(app, token, il, "black")
    assert app.get(props(il)).json["properties"]["color"]["settled"] == "black"
    honest = [new_client(app) for _ in range(3)]
    for token in honest:
        answer(app, token, il, "brown")
    moderator = new_moderator(app)
    for token in vandals:
        who = app.get("/api/v1/me", headers=auth(token)).json["id"]
        reverted = app.post(f"/api/v1/contributors/{who}/revert", headers=auth(moderator)).json["reverted"]
        assert reverted["refine.answer"] == 1
    color = app.get(props(il)).json["properties"]["color"]
    assert color["settled"] == "brown" and color["answers"]["black"] == 0
    again = app.post(f"/api/v1/contributors/{who}/revert", headers=auth(moderator)).json["reverted"]
    assert again["refine.answer"] == 0


def test_the_openapi_document_has_the_route(app_factory: Callable[..., TestApp]) -> None:
    paths = app_factory(plugins=("refine",)).get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/api/v1/image-labels/{id}/properties"]) == {"get", "post"}


def test_refine_runs_with_every_other_plugin(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("validate", "annotate", "report", "playground", "datasets", "refine"))
    donor = new_moderator(app)  # a moderator's donation is public while report screens it
    image = donate(app, donor, labels=("dog",)).json["image"]
    il = image["labels"][0]["id"]
    for _ in range(3):
        token = new_client(app)
        task = app.get("/api/v1/tasks/next", {"kind": "refine"}, headers=auth(token)).json["task"]
        assert task["image_label"] == il
        answer(app, token, il, "golden")
    doc = app.get(f"/api/v1/image-labels/{il}").json
    assert doc["properties"] == {"color": "golden"} and "votes" in doc  # validate's fields beside refine's
    assert [i["id"] for i in app.get("/api/v1/images", {"q": "dog[color=golden]"}).json["images"]] == [image["id"]]


def test_the_margin_setting_is_honoured_and_checked(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",), **{"refine.margin": "1"})
    _, image = labelled(app)
    summary = answer(app, new_client(app), image["labels"][0]["id"], "white")
    assert summary["properties"]["color"]["settled"] == "white"
    for value in ("0", "many"):
        with pytest.raises(SettingError, match=r"refine\.margin"):
            app_factory(plugins=("refine",), **{"refine.margin": value})


def test_tasks_apply_the_plugins_task_filter_and_the_label(app_factory: Callable[..., TestApp]) -> None:
    class Blocked:
        ids: set[int] = set()

        @hookimpl
        def imagemonkey_task_image_filter(self, request: Any, image_id: Any) -> Any:
            return image_id.not_in(sorted(self.ids)) if self.ids else None

    app = app_factory(plugins=("refine",))
    blocked = Blocked()
    app.app.registry.pm.register(blocked)
    _, dog = labelled(app)
    _, cat = labelled(app, "cat")
    worker = new_client(app)
    task = app.get("/api/v1/tasks/next", {"kind": "refine", "label": "puppy"}, headers=auth(worker)).json["task"]
    assert task["image"]["id"] == dog["id"] and task["label"] == "dog"
    blocked.ids.add(int(dog["id"]))
    assert app.get("/api/v1/tasks/next", {"kind": "refine", "label": "dog"}, headers=auth(worker), status=204)
    task = app.get("/api/v1/tasks/next", {"kind": "refine"}, headers=auth(worker)).json["task"]
    assert task["image"]["id"] == cat["id"] and "tabby" in task["choices"]
