"""Promoting a label suggestion into the catalog over HTTP: the label, its parent, the images that were suggested it,
who did it, persistence across a restart, and every kind of refusal (SQLite and PostgreSQL)."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from webtest import TestApp

from imagemonkey.app import sync_labels_at_startup
from imagemonkey.labels.catalog import load_catalog
from imagemonkey.models import PromotedLabel
from imagemonkey.scripting import app_request
from imagemonkey.services.promotion import CHECK_EVERY_S, PROMOTED_SEEN
from imagemonkey.testing import auth, donate, new_client, new_moderator


def promote(app: TestApp, token: str | None, name: str, body: dict[str, Any], status: int = 201) -> Any:
    """POST the promotion; the JSON answer."""
    return app.post_json(f"/api/v1/label-suggestions/{name}/promote", body,
                         headers=auth(token) if token else {}, status=status).json


def test_a_promoted_suggestion_is_a_catalog_label_on_its_images_and_survives_a_restart(app: TestApp,
                                                                                      token: str) -> None:
    first = donate(app, token, labels=("okapi",)).json
    second = donate(app, token, labels=("okapi", "dog")).json
    assert first["suggested"] == ["okapi"]
    moderator = new_moderator(app)
    answer = promote(app, moderator, "okapi", {"is_a": "animal", "description": "A forest giraffe."})
    assert answer == {"label": {"name": "okapi", "description": "A forest giraffe.", "plural": "okapis",
                                "aliases": [], "is_a": ["animal"], "sublabels": []}, "images": 2}
    for image in (first, second):
        labels = app.get(f"/api/v1/images/{image['image']['id']}").json["labels"]
        assert "okapi" in [item["label"] for item in labels]
    catalog = app.get("/api/v1/labels").json
    assert {"name": "okapi", "is_a": ["animal"]}.items() <= next(
        entry for entry in catalog["labels"] if entry["name"] == "okapi").items()
    assert "okapi" not in [row["name"] for row in app.get("/api/v1/label-suggestions").json["suggestions"]]
    found = app.get("/api/v1/images", {"q": "any:animal & ~dog"}).json["images"]
    assert [image["id"] for image in found] == [first["image"]["id"]]
    registry = app.app.registry
    with app_request(registry) as request:
        row = request.dbsession.scalar(select(PromotedLabel))
        assert (row.name, row.is_a) == ("okapi", "animal") and row.contributor_id is not None and row.created_at
    registry["catalog"] = load_catalog(registry.settings["imagemonkey.labels_dir"])  # a fresh process's catalog
    assert registry["catalog"].resolve("okapi") is None
    sync_labels_at_startup(registry)
    assert registry["catalog"].by_name["okapi"].is_a == ("animal",)
    donate(app, token, labels=("okapi",), status=201)
    assert app.get("/api/v1/label-suggestions").json["suggestions"] == []  # a label now, not a suggestion


def test_only_moderators_promote(app: TestApp, token: str) -> None:
    donate(app, token, labels=("okapi",))
    assert promote(app, None, "okapi", {"is_a": "animal"}, status=401)["error"]["code"]
    assert promote(app, new_client(app), "okapi", {"is_a": "animal"}, status=403)["error"]["code"] == "forbidden"


@pytest.mark.parametrize("name", ["dog", "puppy"])
def test_a_name_the_catalog_has_is_409(app: TestApp, token: str, name: str) -> None:
    error = promote(app, new_moderator(app), name, {"is_a": "animal"}, status=409)["error"]
    assert error["code"] == "conflict" and "already" in error["message"]


def test_a_suggestion_that_is_no_catalog_name_is_422(app: TestApp, token: str) -> None:
    assert donate(app, token, labels=("okapi's calf",)).json["suggested"] == ["okapi's calf"]
    error = promote(app, new_moderator(app), "okapi's calf", {"is_a": "animal"}, status=422)["error"]
    assert error["code"] == "bad_name" and error["field"] == "name"


def test_promoting_twice_is_409_and_no_suggestion_is_404(app: TestApp, token: str) -> None:
    donate(app, token, labels=("okapi",))
    moderator = new_moderator(app)
    promote(app, moderator, "okapi", {"is_a": "animal"})
    assert promote(app, moderator, "okapi", {"is_a": "animal"}, status=409)["error"]["code"] == "conflict"
    assert promote(app, moderator, "quokka", {"is_a": "animal"}, status=404)["error"]["code"] == "not_found"


@pytest.mark.parametrize("body, code", [
    ({}, "unknown_parent"),
    ({"is_a": "unicorn"}, "unknown_parent"),
    ({"is_a": 3}, "unknown_parent"),
    ({"is_a": "night"}, "bad_parent"),
    ({"is_a": "dog/head"}, "bad_parent"),
    ({"is_a": "animal", "description": 5}, "invalid"),
    ({"is_a": "animal", "plural": "x" * 129}, "invalid"),
])
def test_bad_promotions_are_422_with_a_clear_code(app: TestApp, token: str, body: dict[str, Any], code: str) -> None:
    donate(app, token, labels=("okapi",))
    error = promote(app, new_moderator(app), "okapi", body, status=422)["error"]
    assert error["code"] == code and error["message"]
    assert app.get("/api/v1/label-suggestions").json["suggestions"][0]["name"] == "okapi"  # nothing changed


def test_a_label_another_process_promoted_reaches_this_one(app: TestApp, token: str) -> None:
    donate(app, token, labels=("okapi",))
    registry = app.app.registry
    with app_request(registry) as request:  # as another server process would write it
        request.dbsession.add(PromotedLabel(name="okapi", is_a="animal", description="A forest giraffe.",
                                            plural="okapis", contributor_id=None))
    assert "okapi" not in app.get("/api/v1/labels").text  # looked less than CHECK_EVERY_S ago
    registry[PROMOTED_SEEN]["at"] -= CHECK_EVERY_S
    assert registry["catalog"].resolve("okapi") is None
    catalog = app.get("/api/v1/labels").json
    assert "okapi" in [entry["name"] for entry in catalog["labels"]]
    assert app.get("/api/v1/label-suggestions").json["suggestions"][0]["name"] == "okapi"  # until a sync or start
