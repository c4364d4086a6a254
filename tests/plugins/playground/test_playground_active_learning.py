"""Active learning through the site: after a training, tasks come from the images the model is least sure about."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playground_support import SETTINGS, donate_all, pictures, train, verify_all
from webtest import TestApp

from imagemonkey.plugin import enqueue_job, task_preference_clause
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
    before = scores(app)
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    assert scores(app) == before  # with an active model, the cold start writes nothing
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


def embedded_vectors(app: TestApp, ids: list[int]) -> Any:
    """The cached embeddings of ``ids``, one row each (in order)."""
    from imagemonkey_playground import embeddings
    from imagemonkey_playground.providers import backbone_of

    with app_request(app.app.registry) as request:
        provider = backbone_of(request.registry)
        vectors = embeddings.cached(request.dbsession, ids, provider.version)
        return embeddings.matrix(vectors, ids, provider.features).numpy()


def label_task(app: TestApp) -> int:
    """The image of the next label task a new contributor gets."""
    return int(app.get("/api/v1/tasks/next", params={"kind": "label"},
                       headers=auth(new_client(app))).json["task"]["image"]["id"])


def cold_started(app: TestApp) -> tuple[list[int], dict[int, float]]:
    """Twelve unlabeled pictures donated, embedded and scored by the similar-index update: their ids and scores."""
    donor = new_client(app)
    ids = [int(app.post("/api/v1/images", upload_files=[("image", "p.jpg", data)], headers=auth(donor))
               .json["image"]["id"]) for data, _ in pictures()[:12]]
    assert scores(app) == {}  # nothing embedded yet: the usual order
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    return ids, scores(app)


def highest(table: dict[int, float], among: list[int], count: int) -> set[int]:
    """The ``count`` images of ``among`` with the highest scores."""
    return set(sorted(among, key=lambda i: (-table[i], i))[:count])


def test_before_any_model_tasks_come_in_the_cold_start_order(app_factory: Callable[..., TestApp]) -> None:
    """No model yet: the similar-index update embeds the pictures and writes the cold-start order (each look-alike
    group's most typical picture first); label tasks follow it, exploring tasks stay random."""
    from imagemonkey_playground.coldstart import representativeness
    from imagemonkey_playground.models import Uncertainty
    from sqlalchemy import select

    settings = {**ACTIVE, "playground.uncertain_pool": "3"}
    app = app_factory(plugins=("playground",), **settings)
    ids, table = cold_started(app)
    assert set(table) == set(ids)
    newest_first = sorted(ids, reverse=True)  # the job scores candidates newest first
    expected = representativeness(embedded_vectors(app, newest_first), 3)
    assert [round(float(s), 6) for s in expected] == [table[i] for i in newest_first]
    with app_request(app.app.registry) as request:
        assert set(request.dbsession.scalars(select(Uncertainty.model_id))) == {None}  # no model's scores
    preferred = highest(table, ids, 3)
    assert {label_task(app) for _ in range(12)} <= preferred  # a random one of the 3 highest, never another
    first = min(ids, key=lambda i: (-table[i], i))
    app.post_json(f"/api/v1/images/{first}/labels", {"labels": ["cat"]}, headers=auth(new_client(app)))
    following = highest(table, [i for i in ids if i != first], 3)
    assert {label_task(app) for _ in range(8)} <= following  # answered: the next highest take its place

    exploring = app_factory(plugins=("playground",), **{**settings, "playground.exploration": "1"})
    ids, table = cold_started(exploring)
    assert set(table) == set(ids)  # scored all the same ...
    offered = {label_task(exploring) for _ in range(16)}
    assert offered - highest(table, ids, 3)  # ... but exploring tasks come from all twelve (random)
