"""Votes: casting, replacing, the own-donation rule, visibility, and every bad input."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from validate_support import PLUGINS, donate, image_label, vote, vote_settled
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator, settle_now


@pytest.fixture
def vapp(app_factory: Callable[..., TestApp]):
    return app_factory(plugins=PLUGINS)


@pytest.fixture
def labelled(vapp: TestApp):
    donor = new_client(vapp)
    image = donate(vapp, donor, ("dog",), seed=1)
    return donor, image["labels"][0]["id"]


def test_image_label_json_carries_votes_state_confidence(vapp: TestApp, labelled: tuple[str, str]):
    _, il = labelled
    doc = image_label(vapp, il)
    assert doc["votes"] == {"yes": 0, "no": 0, "unsure": 0}
    assert doc["state"] == "unverified"
    assert doc["confidence"] == pytest.approx(0.5)
    assert doc["settlement"] == "settled"


def test_vote_answers_the_vote_and_last_settled_state_then_settles(vapp: TestApp, labelled: tuple[str, str]):
    _, il = labelled
    voter = new_client(vapp)
    answer = vote(vapp, voter, il, "yes")
    assert answer == {"id": il, "kind": "image_label", "subject_id": il, "label": "dog", "vote": "yes",
                      "state": "unverified", "confidence": 0.5, "votes": {"yes": 0, "no": 0, "unsure": 0},
                      "settlement": "pending"}
    settle_now(vapp)  # waits for the settler thread (the default path) and sweeps
    doc = image_label(vapp, il)
    assert doc["votes"] == {"yes": 1, "no": 0, "unsure": 0} and doc["settlement"] == "settled"
    assert doc["confidence"] > 0.5
    answer = vote(vapp, voter, il, "no")
    assert answer["votes"] == {"yes": 1, "no": 0, "unsure": 0} and answer["confidence"] > 0.5
    doc = vote_settled(vapp, voter, il, "no")
    assert doc["votes"] == {"yes": 0, "no": 1, "unsure": 0}
    assert doc["confidence"] < 0.5
    doc = vote_settled(vapp, voter, il, "unsure")
    assert doc["votes"] == {"yes": 0, "no": 0, "unsure": 1}


def test_votes_are_recorded_as_contributions(vapp: TestApp, labelled: tuple[str, str]):
    _, il = labelled
    voter = new_client(vapp)
    vote(vapp, voter, il, "yes")
    entries = vapp.get("/api/v1/contributors/me/contributions", headers=auth(voter)).json["contributions"]
    assert [e["kind"] for e in entries] == ["validate.vote"]
    assert entries[0]["target_id"] == f"image_label:{il}"


def test_own_donation_is_403(vapp: TestApp, labelled: tuple[str, str]):
    donor, il = labelled
    body = vote(vapp, donor, il, "yes", status=403)
    assert body["error"]["code"] == "own_donation"
    assert image_label(vapp, il)["votes"]["yes"] == 0


def test_pending_image_is_404_for_others_and_votable_by_moderators(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS, **{"imagemonkey.moderation": "pre"})
    donor = new_client(app)
    image = donate(app, donor, ("cat",), seed=2)
    assert image["status"] == "pending"
    il = image["labels"][0]["id"]
    assert vote(app, new_client(app), il, "yes", status=404)["error"]["code"] == "not_found"
    assert vote(app, donor, il, "yes", status=403)["error"]["code"] == "own_donation"
    moderator = new_moderator(app)
    assert vote(app, moderator, il, "yes")["settlement"] == "pending"
    settle_now(app)
    doc = app.get(f"/api/v1/image-labels/{il}", headers=auth(moderator)).json
    assert doc["state"] == "verified" and doc["confidence"] == 1.0


@pytest.mark.parametrize("body, status, code", [
    ('{"vote": ', 400, "malformed_json"),
    ('[1, 2]', 400, "malformed_json"),
    ('{"vote": "maybe"}', 422, "invalid_vote"),
    ('{"vote": 1}', 422, "invalid_vote"),
    ('{}', 422, "invalid_vote"),
])
def test_bad_vote_bodies(vapp: TestApp, labelled: tuple[str, str], body: Any, status: int, code: str):
    _, il = labelled
    response = vapp.post(f"/api/v1/image-labels/{il}/votes", body, content_type="application/json",
                         headers=auth(new_client(vapp)), status=status)
    assert response.json["error"]["code"] == code


def test_unknown_ids_tokens_and_methods(vapp: TestApp, labelled: tuple[str, str]):
    _, il = labelled
    token = new_client(vapp)
    assert vote(vapp, token, "999999", "yes", status=404)["error"]["code"] == "not_found"
    assert vote(vapp, token, "abc", "yes", status=404)["error"]["code"] == "not_found"
    response = vapp.post_json(f"/api/v1/image-labels/{il}/votes", {"vote": "yes"}, status=401)
    assert response.json["error"]["code"] == "unauthenticated"
    response = vapp.post_json(f"/api/v1/image-labels/{il}/votes", {"vote": "yes"},
                              headers=auth("not-a-token"), status=401)
    assert response.json["error"]["code"] == "unauthenticated"
    assert vapp.get(f"/api/v1/image-labels/{il}/votes", status=405).json["error"]["code"] == "method_not_allowed"


def test_batch_results_per_item(vapp: TestApp, labelled: tuple[str, str]):
    donor, il = labelled
    other = donate(vapp, donor, ("cat",), seed=3)["labels"][0]["id"]
    voter = new_client(vapp)
    body = vapp.post_json("/api/v1/votes", {"votes": [
        {"image_label_id": il, "vote": "yes"},
        {"kind": "image_label", "subject_id": other, "vote": "no"},
        {"image_label_id": "424242", "vote": "yes"},
        {"image_label_id": il, "vote": "perhaps"},
        {"kind": "annotation", "subject_id": "5", "vote": "yes"},
        "nonsense",
        {"vote": "yes"},
    ]}, headers=auth(voter)).json["results"]
    assert body[0]["ok"] and body[0]["image_label"]["id"] == il and body[0]["image_label"]["vote"] == "yes"
    assert body[0]["image_label"]["settlement"] == "pending"
    assert body[1]["ok"] and body[1]["kind"] == "image_label" and body[1]["vote"] == "no"
    settle_now(vapp)
    assert image_label(vapp, il)["votes"]["yes"] == 1 and image_label(vapp, other)["votes"]["no"] == 1
    assert [r.get("status") for r in body[2:]] == [404, 422, 404, 422, 422]
    assert body[3]["error"]["code"] == "invalid_vote"
    own = vapp.post_json("/api/v1/votes", {"votes": [{"image_label_id": il, "vote": "yes"}]},
                         headers=auth(donor)).json["results"][0]
    assert own["status"] == 403 and own["error"]["code"] == "own_donation"


@pytest.mark.parametrize("body, code", [
    ({"votes": []}, "invalid"),
    ({"votes": "yes"}, "invalid"),
    ({}, "invalid"),
    ({"votes": [{"image_label_id": "1", "vote": "yes"}] * 101}, "too_many_votes"),
])
def test_bad_batches(vapp: TestApp, body: Any, code: str):
    response = vapp.post_json("/api/v1/votes", body, headers=auth(new_client(vapp)), status=422)
    assert response.json["error"]["code"] == code


def test_batch_needs_token_and_json(vapp: TestApp):
    assert vapp.post_json("/api/v1/votes", {"votes": []}, status=401).json["error"]["code"] == "unauthenticated"
    response = vapp.post("/api/v1/votes", "{nope", content_type="application/json",
                         headers=auth(new_client(vapp)), status=400)
    assert response.json["error"]["code"] == "malformed_json"
