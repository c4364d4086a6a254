"""Task selection: order, never-repeat, own donations, visibility, labels, the grid."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from validate_support import PLUGINS, donate, next_task, vote
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator, settle_now


@pytest.fixture
def vapp(app_factory: Callable[..., TestApp]):
    return app_factory(plugins=PLUGINS)


def test_task_shape_and_204_when_done(vapp: TestApp):
    donor = new_client(vapp)
    image = donate(vapp, donor, ("dog",), seed=1)
    voter = new_client(vapp)
    task = next_task(vapp, voter)
    assert task["kind"] == "validate" and task["subject_kind"] == "image_label"
    assert task["question"] == "Is there a dog in this picture?"
    assert task["image"]["id"] == image["id"]
    assert task["image_label"]["id"] == image["labels"][0]["id"] and task["image_label"]["state"] == "unverified"
    vote(vapp, voter, task["image_label"]["id"], "yes")
    assert next_task(vapp, voter) is None


def test_never_own_donation_and_never_repeat(vapp: TestApp):
    donor = new_client(vapp)
    ids = {donate(vapp, donor, ("dog", "cat"), seed=i)["labels"][0]["image_id"] for i in range(4)}
    assert next_task(vapp, donor) is None
    voter = new_client(vapp)
    seen = []
    while (task := next_task(vapp, voter)) is not None:
        seen.append(task["image_label"]["id"])
        vote(vapp, voter, seen[-1], "unsure")
    assert len(seen) == len(set(seen)) == 8
    assert {task_id for task_id in ids} == ids


def test_fewest_votes_first_then_contested(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS, **{"validate.contested_votes": "2"})
    donor = new_client(app)
    a, b = (donate(app, donor, ("dog",), seed=i)["labels"][0]["id"] for i in (1, 2))
    vote(app, new_client(app), a, "yes")
    settle_now(app)
    voter = new_client(app)
    assert next_task(app, voter)["image_label"]["id"] == b
    vote(app, new_client(app), b, "yes")
    vote(app, new_client(app), b, "no")   # b: 3 votes, contested
    settle_now(app)
    assert next_task(app, voter)["image_label"]["id"] == a  # unsettled before contested
    vote(app, voter, a, "unsure")
    task = next_task(app, voter)
    assert task["image_label"]["id"] == b and task["image_label"]["state"] == "contested"


def test_label_filter_skip_and_unknown_label(vapp: TestApp):
    donor = new_client(vapp)
    dog = donate(vapp, donor, ("dog",), seed=1)["labels"][0]["id"]
    cat = donate(vapp, donor, ("cat",), seed=2)["labels"][0]["id"]
    voter = new_client(vapp)
    assert next_task(vapp, voter, label="cat")["image_label"]["id"] == cat
    assert next_task(vapp, voter, label="dog")["image_label"]["id"] == dog
    assert next_task(vapp, voter, label="dog", skip=f"image_label:{dog}") is None
    assert next_task(vapp, voter, skip=f"{dog},image_label:{cat}") is None
    response = vapp.get("/api/v1/tasks/next", params={"kind": "validate", "label": "unicorn"}, headers=auth(voter),
                        status=404)
    assert response.json["error"]["code"] == "unknown_label"
    response = vapp.get("/api/v1/tasks/next", params={"kind": "validate", "skip": "x:y"}, headers=auth(voter),
                        status=400)
    assert response.json["error"]["code"] == "invalid_skip"
    assert vapp.get("/api/v1/tasks/next", params={"kind": "validate"}, status=401).json["error"]["code"] == \
        "unauthenticated"


def test_settled_labels_are_not_asked(vapp: TestApp):
    il = donate(vapp, new_client(vapp), ("dog",), seed=1)["labels"][0]["id"]
    vote(vapp, new_moderator(vapp), il, "yes")
    settle_now(vapp)
    assert next_task(vapp, new_client(vapp)) is None


def test_hidden_and_pending_images_are_not_offered_to_others(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS, **{"imagemonkey.moderation": "pre"})
    donor = new_client(app)
    image = donate(app, donor, ("dog",), seed=1)
    voter = new_client(app)
    assert next_task(app, voter) is None
    moderator = new_moderator(app)
    assert next_task(app, moderator)["image"]["id"] == image["id"]
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "public"}, headers=auth(moderator))
    assert next_task(app, voter)["image"]["id"] == image["id"]
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "hidden"}, headers=auth(moderator))
    assert next_task(app, voter) is None


def test_grid(vapp: TestApp):
    donor = new_client(vapp)
    dogs = {donate(vapp, donor, ("dog",), seed=i)["labels"][0]["id"] for i in range(11)}
    donate(vapp, donor, ("cat",), seed=50)
    voter = new_client(vapp)
    body = vapp.get("/api/v1/tasks/grid", params={"label": "dog"}, headers=auth(voter)).json
    assert body["label"] == "dog" and body["question"] == "Is there a dog in this picture?"
    assert len(body["items"]) == 9
    picked = [item["image_label"]["id"] for item in body["items"]]
    assert len(set(picked)) == 9 and set(picked) <= dogs
    assert all(item["image"]["id"] == item["image_label"]["image_id"] for item in body["items"])
    results = vapp.post_json("/api/v1/votes", {"votes": [{"image_label_id": i, "vote": "yes"} for i in picked]},
                             headers=auth(voter)).json["results"]
    assert all(r["ok"] for r in results)
    rest = vapp.get("/api/v1/tasks/grid", params={"label": "dog", "n": "25"}, headers=auth(voter)).json["items"]
    assert {item["image_label"]["id"] for item in rest} == dogs - set(picked)
    assert vapp.get("/api/v1/tasks/grid", params={"label": "dog"}, headers=auth(donor)).json["items"] == []


@pytest.mark.parametrize("params, status, code", [
    ({}, 400, "missing_label"), ({"label": "unicorn"}, 404, "unknown_label"), ({"label": "dog", "n": "26"}, 400,
                                                                                "invalid_n"),
    ({"label": "dog", "n": "0"}, 400, "invalid_n"), ({"label": "dog", "n": "x"}, 400, "invalid_n"),
])
def test_grid_bad_input(vapp: TestApp, params: dict[str, str], status: int, code: str):
    response = vapp.get("/api/v1/tasks/grid", params=params, headers=auth(new_client(vapp)), status=status)
    assert response.json["error"]["code"] == code


def test_grid_needs_token(vapp: TestApp):
    assert vapp.get("/api/v1/tasks/grid", params={"label": "dog"}, status=401).json["error"]["code"] == \
        "unauthenticated"
