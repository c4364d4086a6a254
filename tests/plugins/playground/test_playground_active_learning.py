"""Active learning through the site: after a training, tasks come from the images the model is least sure about."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playground_support import SETTINGS, donate_all, pictures, train, verify_all
from webtest import TestApp

from imagemonkey.plugin import task_preference_clause
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs

pytestmark = pytest.mark.training

ACTIVE = {**SETTINGS, "playground.active_learning": "true", "playground.exploration": "0",
          "playground.uncertain_pool": "1"}


def scores(app: TestApp) -> dict[int, float]:
    """The uncertainty table, image id → score."""
    from imagemonkey_playground.models import Uncertainty
    from sqlalchemy import select

    with app_request(app.app.registry) as request:
        return dict(request.dbsession.execute(select(Uncertainty.image_id, Uncertainty.score)).all())


def donate_more(app: TestApp, labelled: bool) -> list[int]:
    """The six held-out pictures, with their first label or none; their ids."""
    donor = new_client(app)
    ids = []
    for data, labels in pictures()[40:46]:
        params = [("label", labels[0])] if labelled else []
        image = app.post("/api/v1/images", params=params, upload_files=[("image", "p.jpg", data)],
                         headers=auth(donor)).json["image"]
        ids.append(int(image["id"]))
    return ids


def most_uncertain(app: TestApp, among: list[int]) -> int:
    """The scored image of ``among`` with the highest score (ties: the lowest id)."""
    table = scores(app)
    assert set(table) == set(among)  # exactly the images that need answers are scored
    assert all(0.0 <= score <= 1.0 for score in table.values())
    return min(among, key=lambda image_id: (-table[image_id], image_id))


def test_label_tasks_come_from_the_most_uncertain_image(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("playground",), **ACTIVE)
    donate_all(app)
    unlabeled = donate_more(app, labelled=False)
    assert train(app)["status"] == "active"
    run_jobs(app)  # playground.uncertainty, queued by the activation
    expected = most_uncertain(app, unlabeled)
    for _ in range(4):  # without the preference, each would be one of six at random
        task = app.get("/api/v1/tasks/next", params={"kind": "label"}, headers=auth(new_client(app))).json["task"]
        assert int(task["image"]["id"]) == expected
    labeller = new_client(app)  # once labelled, the next most uncertain one is offered
    app.post_json(f"/api/v1/images/{expected}/labels", {"labels": ["cat"]}, headers=auth(labeller))
    table = scores(app)
    following = min((i for i in unlabeled if i != expected), key=lambda i: (-table[i], i))
    task = app.get("/api/v1/tasks/next", params={"kind": "label"}, headers=auth(labeller)).json["task"]
    assert int(task["image"]["id"]) == following

def test_validate_questions_come_from_the_most_uncertain_image(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("validate", "playground"), **ACTIVE)
    moderator = new_moderator(app)
    _, images = donate_all(app)
    verify_all(app, images, moderator)
    unverified = donate_more(app, labelled=True)
    assert train(app, moderator)["status"] == "active"
    run_jobs(app)
    expected = most_uncertain(app, unverified)  # verified pictures need no answers: they are not scored
    for _ in range(3):
        task = app.get("/api/v1/tasks/next", params={"kind": "validate"}, headers=auth(new_client(app))).json["task"]
        assert int(task["image"]["id"]) == expected


def preference(app: TestApp, kind: str) -> Any:
    from imagemonkey.plugin import Image

    with app_request(app.app.registry) as request:
        return task_preference_clause(request, kind, Image.id)


def test_exploration_and_the_switch(app_factory: Callable[..., TestApp]) -> None:
    """Exploring tasks (here all of them) and sites without the setting keep the usual order."""
    exploring = app_factory(plugins=("playground",), **{**ACTIVE, "playground.exploration": "1"})
    assert preference(exploring, "label") is None
    off = app_factory(plugins=("playground",), **SETTINGS)
    assert preference(off, "label") is None
    on = app_factory(plugins=("playground",), **ACTIVE)
    assert preference(on, "label") is not None and preference(on, "annotate") is None
