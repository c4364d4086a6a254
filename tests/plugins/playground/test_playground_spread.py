"""Labels that spread: a verified image label becomes look-alike questions in validate's grid, through HTTP against a
real database, with real photographs from scikit-image (crops and flips as look-alikes)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playground_support import SETTINGS
from test_playground_similar import pictures
from webtest import TestApp

from imagemonkey.plugin import enqueue_job
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs, settle_now

SPREAD = "playground_spread"


def spread_rows(app: TestApp) -> dict[int, tuple[str, int | None, str]]:
    """Every look-alike question: image id -> (label, source image id, state)."""
    from imagemonkey_playground.models import Spread
    from sqlalchemy import select

    from imagemonkey.scripting import app_request
    with app_request(app.app.registry) as request:
        return {s.image_id: (s.label, s.source_image_id, s.state) for s in request.dbsession.scalars(select(Spread))}


def trust_rows(app: TestApp) -> list[Any]:
    """Every contributor's trust record."""
    from sqlalchemy import select

    from imagemonkey.scripting import app_request
    from imagemonkey_validate.models import Trust
    with app_request(app.app.registry) as request:
        return sorted(request.dbsession.execute(select(Trust.contributor_id, Trust.correct, Trust.wrong)).all())


@pytest.fixture
def world(app_factory: Callable[..., TestApp]) -> dict[str, Any]:
    """Five photographs with four look-alikes each. The cat's photograph is labelled "cat", one look-alike too, one
    look-alike is hidden once indexed, the two others carry no label; every other picture carries its own label."""
    app = app_factory(plugins=("validate", "playground"), **SETTINGS, **{"playground.spread_k": "4"})
    donor, moderator = new_client(app), new_moderator(app)
    images = []
    for index, (data, label) in enumerate(pictures()):
        labels = [("label", label)] if index >= 5 or index < 2 else []
        images.append(app.post("/api/v1/images", params=labels, upload_files=[("image", "p.jpg", data)],
                               headers=auth(donor)).json["image"])
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    app.post_json(f"/api/v1/images/{images[2]['id']}/status", {"status": "hidden", "reason": "test"},
                  headers=auth(moderator))  # hidden after it was indexed
    return {"app": app, "images": images, "moderator": moderator, "donor": donor}


def verify(app: TestApp, image: dict[str, Any], moderator: str) -> None:
    """A moderator's yes verifies the image's first label; the jobs it queues run."""
    app.post_json(f"/api/v1/image-labels/{image['labels'][0]['id']}/votes", {"vote": "yes"}, headers=auth(moderator))
    settle_now(app)
    run_jobs(app)


def grid(app: TestApp, token: str, label: str = "cat") -> dict[str, Any]:
    """The validate grid of ``label`` for ``token``."""
    return app.get("/api/v1/tasks/grid", params={"label": label, "n": "10"}, headers=auth(token)).json


def test_a_verified_label_spreads_to_its_look_alikes_only(world: dict[str, Any]) -> None:
    app, images, moderator = world["app"], world["images"], world["moderator"]
    assert spread_rows(app) == {}
    verify(app, images[0], moderator)
    source = int(images[0]["id"])
    # the two unlabelled look-alikes; not the labelled one, not the hidden one, not another photograph
    assert spread_rows(app) == {int(images[3]["id"]): ("cat", source, "unverified"),
                                int(images[4]["id"]): ("cat", source, "unverified")}
    verify(app, images[5], moderator)  # the cup: its look-alikes all carry "cup" already
    verify(app, images[0], moderator)  # verified already: nothing new
    assert len(spread_rows(app)) == 2


def test_look_alikes_in_the_grid_settle_by_votes_and_cost_nobody(world: dict[str, Any]) -> None:
    app, images, moderator, donor = world["app"], world["images"], world["moderator"], world["donor"]
    verify(app, images[0], moderator)
    voter = new_client(app)
    items = grid(app, voter)["items"]
    look_alikes = {item["image"]["id"]: item for item in items if item["kind"] == SPREAD}
    assert set(look_alikes) == {images[3]["id"], images[4]["id"]}
    for item in look_alikes.values():
        assert item["question"] == "Does this one show a cat too?"
        assert item["suggested_by"] == "look-alike" and item["source"]["image_id"] == images[0]["id"]
    assert {item["kind"] for item in items} == {SPREAD, "image_label"}  # and the labelled look-alike's own label
    assert not [item for item in grid(app, donor)["items"] if item["kind"] == SPREAD]  # never on one's own pictures
    before = trust_rows(app)
    yes, no = look_alikes[images[3]["id"]], look_alikes[images[4]["id"]]
    votes = [{"kind": item["kind"], "subject_id": item["subject_id"], "vote": vote} for item, vote in ((yes, "yes"),
                                                                                                    (no, "no"))]
    results = app.post_json("/api/v1/votes", {"votes": votes}, headers=auth(moderator)).json["results"]
    assert all(result["ok"] for result in results), results
    settle_now(app)
    run_jobs(app)
    assert trust_rows(app) == before  # nobody owns a look-alike question: rejecting it costs no one trust
    states = {image_id: state for image_id, (_, _, state) in spread_rows(app).items()}
    assert states == {int(images[3]["id"]): "verified", int(images[4]["id"]): "rejected"}
    labels = {image: [il["label"] for il in app.get(f"/api/v1/images/{images[image]['id']}").json["labels"]]
              for image in (3, 4)}
    assert labels == {3: ["cat"], 4: []}
    assert not [item for item in grid(app, new_client(app))["items"] if item["kind"] == SPREAD]  # settled


@pytest.mark.parametrize("farthest", ["0.5", "2.0"])
def test_farther_pictures_are_not_asked(app_factory: Callable[..., TestApp], farthest: str) -> None:
    """Even when K reaches every picture, the distance bound keeps the questions on the look-alikes (the default
    0.5: crops and flips of a photograph lie within 0.12 of it, other photographs beyond 0.8)."""
    app = app_factory(plugins=("validate", "playground"), **SETTINGS,
                      **{"playground.spread_k": "24", "playground.spread_max_distance": farthest})
    donor, moderator = new_client(app), new_moderator(app)
    images = [app.post("/api/v1/images", params=[("label", label)] if index == 0 else [],
                       upload_files=[("image", "p.jpg", data)], headers=auth(donor)).json["image"]
              for index, (data, label) in enumerate(pictures())]
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    verify(app, images[0], moderator)
    expected = images[1:5] if farthest == "0.5" else images[1:]  # without the bound: every other picture
    assert set(spread_rows(app)) == {int(image["id"]) for image in expected}


def test_spreading_is_bounded_per_day(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("validate", "playground"), **SETTINGS,
                      **{"playground.spread_k": "4", "playground.spread_daily": "1"})
    donor, moderator = new_client(app), new_moderator(app)
    images = [app.post("/api/v1/images", params=[("label", label)] if index == 0 else [],
                       upload_files=[("image", "p.jpg", data)], headers=auth(donor)).json["image"]
              for index, (data, label) in enumerate(pictures()[:5])]
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    verify(app, images[0], moderator)
    assert len(spread_rows(app)) == 1  # the daily bound
