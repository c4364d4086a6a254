"""Near-duplicate review: clusters from the embeddings of real photographs, listed and decided over HTTP."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pytest
from imagemonkey_playground.backbone import decode
from imagemonkey_playground.sample import encode, photograph
from PIL import Image as PILImage
from playground_support import SETTINGS
from sqlalchemy import select
from webtest import TestApp

from imagemonkey.plugin import enqueue_job
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs

NEAR = {"cat": "chelsea", "cup": "coffee", "person": "astronaut"}
OTHERS = {"rocket": "rocket", "coin": "coins", "motorcycle": "stereo_motorcycle"}


def variants(picture: PILImage.Image) -> list[PILImage.Image]:
    """The photograph, its mirror image, two crops, and a smaller copy re-encoded at JPEG quality 40."""
    width, height = picture.size
    return [picture, picture.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT),
            picture.crop((width // 10, height // 10, width - width // 10, height - height // 10)),
            picture.crop((0, 0, width * 4 // 5, height * 4 // 5)),
            decode(encode(picture.resize((width * 3 // 4, height * 3 // 4)), quality=40))]


@lru_cache(maxsize=1)
def pictures() -> list[tuple[bytes, str]]:
    """Five variants of each of three photographs, then three unrelated photographs, as (JPEG, label)."""
    near = [(encode(variant), label) for label, name in NEAR.items() for variant in variants(photograph(name))]
    return near + [(encode(photograph(name)), label) for label, name in OTHERS.items()]


def refresh(app: TestApp) -> None:
    """Embed and index new pictures, then look them up for near duplicates (the periodic jobs)."""
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    enqueue_job(app.app.registry, "playground.duplicates")
    run_jobs(app)


@pytest.fixture
def world(app_factory: Callable[..., TestApp]) -> dict[str, Any]:
    """Every picture donated (post-moderation: public at once) and clustered; a moderator's token."""
    app = app_factory(plugins=("playground",), **SETTINGS)
    donor = new_client(app)
    images = [app.post("/api/v1/images", params=[("label", label)], upload_files=[("image", "p.jpg", data)],
                       headers=auth(donor)).json["image"] for data, label in pictures()]
    assert len({image["id"] for image in images}) == len(images)  # none was a perceptual-hash duplicate
    refresh(app)
    groups = [{image["id"] for image in images[start:start + 5]} for start in range(0, 15, 5)]
    return {"app": app, "images": images, "groups": groups, "moderator": new_moderator(app, "dupes"),
            "donor": donor}


def clusters(app: TestApp, token: str, **params: str) -> list[dict[str, Any]]:
    """Every open cluster, page by page."""
    found, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = app.get("/api/v1/playground/duplicates", params=query, headers=auth(token)).json
        found += page["clusters"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def members(cluster: dict[str, Any]) -> set[str]:
    return {entry["image"]["id"] for entry in cluster["images"]}


def decide(app: TestApp, token: str, cluster_id: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    return app.post_json(f"/api/v1/playground/duplicates/{cluster_id}/decision", body, headers=auth(token),
                         status=status).json


def test_variants_cluster_and_different_photographs_do_not(world: dict[str, Any]) -> None:
    found = clusters(world["app"], world["moderator"], limit="1")  # one per page: the cursor is followed
    assert len(found) == 3
    assert {frozenset(members(cluster)) for cluster in found} == {frozenset(group) for group in world["groups"]}
    for cluster in found:
        distances = [entry["distance"] for entry in cluster["images"]]
        assert max(distances) <= 0.3 and min(distances) == 0.0 and cluster["state"] == "open"


def test_incremental_and_a_new_crop_joins_its_cluster(world: dict[str, Any]) -> None:
    app, moderator = world["app"], world["moderator"]
    before = clusters(app, moderator)
    refresh(app)  # nothing new: nothing changes
    assert clusters(app, moderator) == before
    cat = photograph("chelsea")
    crop = cat.crop((cat.width // 20, 0, cat.width, cat.height * 9 // 10))
    late = app.post("/api/v1/images", params=[("label", "cat")], upload_files=[("image", "l.jpg", encode(crop))],
                    headers=auth(world["donor"])).json["image"]
    refresh(app)
    after = clusters(app, moderator)
    assert len(after) == 3 and world["groups"][0] | {late["id"]} in [members(cluster) for cluster in after]


def test_hidden_and_quarantined_pictures_never_appear(world: dict[str, Any]) -> None:
    app, moderator, images = world["app"], world["moderator"], world["images"]
    for image, status in ((images[1], "hidden"), (images[2], "quarantined"), (images[6], "hidden"),
                          (images[7], "hidden"), (images[8], "removed"), (images[9], "quarantined")):
        app.post_json(f"/api/v1/images/{image['id']}/status", {"status": status, "reason": "test"},
                      headers=auth(moderator))
    found = {frozenset(members(cluster)) for cluster in clusters(app, moderator)}
    hidden = {images[i]["id"] for i in (1, 2)}
    assert found == {frozenset(world["groups"][0] - hidden), frozenset(world["groups"][2])}  # the cup: one left


def test_removed_pictures_are_not_filed(app_factory: Callable[..., TestApp]) -> None:
    from imagemonkey_playground.duplicate_models import DuplicateMember

    app = app_factory(plugins=("playground",), **SETTINGS)
    donor, moderator = new_client(app), new_moderator(app, "remover")
    images = [app.post("/api/v1/images", params=[("label", label)], upload_files=[("image", "p.jpg", data)],
                       headers=auth(donor)).json["image"] for data, label in pictures()[:5]]
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    app.post_json(f"/api/v1/images/{images[0]['id']}/status", {"status": "removed"}, headers=auth(moderator))
    enqueue_job(app.app.registry, "playground.duplicates")
    run_jobs(app)
    session = app.app.registry["dbsession_factory"]()
    try:
        filed = {str(image_id) for image_id in session.scalars(select(DuplicateMember.image_id))}
    finally:
        session.close()
    assert filed == {image["id"] for image in images[1:]}


def test_merge_keeps_one_and_moves_the_labels(world: dict[str, Any]) -> None:
    app, moderator, images = world["app"], world["moderator"], world["images"]
    app.post_json(f"/api/v1/images/{images[3]['id']}/labels", {"labels": ["person"]}, headers=auth(world["donor"]))
    cat = next(c for c in clusters(app, moderator) if images[0]["id"] in members(c))
    answer = decide(app, moderator, cat["id"], {"decision": "merge", "keep_image_id": images[0]["id"],
                                                "reason": "same cat"})["cluster"]
    assert (answer["state"], answer["kept_image_id"], answer["reason"]) == ("merged", images[0]["id"], "same cat")
    kept = app.get(f"/api/v1/images/{images[0]['id']}").json
    assert {label["label"] for label in kept["labels"]} == {"cat", "person"}
    for image in images[1:5]:
        app.get(f"/api/v1/images/{image['id']}", status=404)  # hidden from the public
        assert app.get(f"/api/v1/images/{image['id']}", headers=auth(moderator)).json["status"] == "hidden"
    assert cat["id"] not in [c["id"] for c in clusters(app, moderator)]
    assert decide(app, moderator, cat["id"], {"decision": "keep"}, status=409)["error"]["code"] == "conflict"
    history = app.get("/api/v1/contributors/me/contributions", headers=auth(moderator)).json
    assert "playground.duplicates_decision" in {entry["kind"] for entry in history["contributions"]}


def test_kept_clusters_are_never_shown_again(world: dict[str, Any]) -> None:
    app, moderator, images = world["app"], world["moderator"], world["images"]
    cup = next(c for c in clusters(app, moderator) if images[5]["id"] in members(c))
    assert decide(app, moderator, cup["id"], {"decision": "keep"})["cluster"]["state"] == "kept"
    assert len(clusters(app, moderator)) == 2
    coffee = photograph("coffee")
    late = app.post("/api/v1/images", params=[("label", "cup")], headers=auth(world["donor"]), upload_files=[
        ("image", "l.jpg", encode(coffee.crop((coffee.width // 8, 0, coffee.width, coffee.height))))]).json["image"]
    refresh(app)
    fresh = [members(c) for c in clusters(app, moderator) if late["id"] in members(c)]
    assert len(fresh) == 1 and len(fresh[0]) == 2 and fresh[0] - {late["id"]} <= world["groups"][1]


def test_errors(world: dict[str, Any]) -> None:
    app, moderator, images = world["app"], world["moderator"], world["images"]
    path = "/api/v1/playground/duplicates"
    assert app.get(path, status=401).json["error"]["code"]
    assert app.get(path, headers=auth(world["donor"]), status=403).json["error"]["code"] == "forbidden"
    assert app.get(path, params={"limit": "0"}, headers=auth(moderator), status=400).json["error"]["code"] == \
        "invalid_limit"
    assert app.get(path, params={"cursor": "zz"}, headers=auth(moderator), status=400).json["error"]["code"]
    cluster = clusters(app, moderator)[0]
    other = next(image["id"] for image in images if image["id"] not in members(cluster))
    app.post_json(f"{path}/{cluster['id']}/decision", {"decision": "keep"}, headers=auth(world["donor"]), status=403)
    app.post_json(f"{path}/{cluster['id']}/decision", {"decision": "keep"}, status=401)
    for bad_id in ("999999", "abc", "99999999999"):
        assert decide(app, moderator, bad_id, {"decision": "keep"}, status=404)["error"]["code"] == "not_found"
    for body, field in (({"decision": "drop"}, "decision"), ({}, "decision"),
                        ({"decision": "merge"}, "keep_image_id"),
                        ({"decision": "merge", "keep_image_id": "x1"}, "keep_image_id"),
                        ({"decision": "merge", "keep_image_id": other}, "keep_image_id"),
                        ({"decision": "merge", "keep_image_id": True}, "keep_image_id"),
                        ({"decision": "keep", "keep_image_id": other}, "keep_image_id"),
                        ({"decision": "keep", "reason": "x" * 501}, "reason")):
        assert decide(app, moderator, cluster["id"], body, status=422)["error"]["field"] == field, body
    malformed = app.post(f"{path}/{cluster['id']}/decision", "{", headers={**auth(moderator),
                         "Content-Type": "application/json"}, status=400).json
    assert malformed["error"]["code"] == "malformed_json"
    assert members(clusters(app, moderator)[0]) == members(cluster)  # nothing was lost
    paths = app.get("/api/v1/openapi.json").json["paths"]
    assert paths[path]["get"] and paths[path + "/{id}/decision"]["post"]["requestBody"]


def test_moderate_page_has_the_section(world: dict[str, Any]) -> None:
    page = world["app"].get("/moderate").text
    assert 'id="duplicates"' in page and "playground/static/duplicates.js" in page
    assert world["app"].get("/playground/static/duplicates.js").status_int == 200
