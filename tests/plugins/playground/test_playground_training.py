"""A real training through the site: donated over HTTP, verified by votes, trained as a job, activated, queried."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from playground_support import (
    LABELS,
    SETTINGS,
    donate_all,
    held_out_accuracy,
    pictures,
    predict_file,
    train,
    verify_all,
)
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator, run_jobs

pytestmark = pytest.mark.training


def test_trains_on_verified_labels_and_predicts_over_http(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("validate", "playground"), **SETTINGS)
    moderator = new_moderator(app)
    assert predict_file(app, pictures()[0][0], status=409)["error"]["code"] == "no_model"
    _, images = donate_all(app)
    # nothing verified yet: no label has 3 verified images, so nothing is queued and the answer says why
    refused = app.post("/api/v1/playground/models", headers=auth(moderator), status=409).json["error"]
    assert refused["code"] == "too_few_labels" and refused["labels"] == []
    assert app.get("/api/v1/playground/models").json["models"] == []
    verify_all(app, images, moderator)
    model = train(app, moderator)
    assert model["status"] == "active" and model["version"] == 1
    assert sorted(model["labels"]) == sorted(LABELS)
    assert model["snapshot"]["images"] == 40 and len(model["snapshot"]["digest"]) == 64
    assert model["map"] >= 0.8 and set(model["metrics"]["per_label"]) == set(LABELS)
    assert held_out_accuracy(app) >= 0.75
    answer = predict_file(app, pictures()[41][0])
    assert answer["model"] == {"id": model["id"], "version": 1}
    assert answer["ms"] > 0 and all(0 <= p["probability"] <= 1 for p in answer["predictions"])
    by_id = app.post_json("/api/v1/playground/predictions", {"image_id": images[0]["id"]}).json
    assert by_id["predictions"][0]["label"] in images[0]["labels"][0]["label"]


def test_alone_it_trains_on_all_labels(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("playground",), **SETTINGS)
    assert app.get("/api/v1/statistics").json["playground"] == {"history": [], "charts": []}  # nothing to draw yet
    donate_all(app)
    model = train(app)
    assert model["status"] == "active" and sorted(model["labels"]) == sorted(LABELS)
    assert held_out_accuracy(app) >= 0.75
    (chart,) = app.get("/api/v1/statistics").json["playground"]["charts"]
    assert chart["x_title"] == "Image labels learnt"  # every label counts without validate
    assert chart["x"] == [model["snapshot"]["image_labels"]]


def trust_rows(request) -> list:  # noqa: ANN001
    from sqlalchemy import select

    from imagemonkey_validate.models import Trust

    return sorted(request.dbsession.execute(select(Trust.contributor_id, Trust.correct, Trust.wrong)).all())


def test_model_suggestions_become_validation_questions(app_factory: Callable[..., TestApp]) -> None:
    """Pictures donated after training with only one of their two labels: once a model is activated, its confident
    guess of the other label becomes a question "suggested by the model"; a rejected one costs nobody trust, a
    verified one labels the image."""
    from imagemonkey_playground.models import Suggestion
    from sqlalchemy import select

    from imagemonkey.scripting import app_request
    app = app_factory(plugins=("validate", "playground"), **SETTINGS, **{"playground.suggest_threshold": "0.5"})
    moderator = new_moderator(app)
    _, images = donate_all(app)
    verify_all(app, images, moderator)
    model = train(app, moderator)
    assert model["status"] == "active"
    donor = new_client(app)
    partial = set()
    for data, labels in pictures()[40:]:
        image = app.post("/api/v1/images", params=[("label", labels[0])], upload_files=[("image", "p.jpg", data)],
                         headers=auth(donor)).json["image"]
        if len(labels) == 2:
            partial.add((int(image["id"]), labels[1]))
    assert partial
    app.post_json(f"/api/v1/playground/models/{model['id']}/activate", {"pin": False}, headers=auth(moderator))
    run_jobs(app)  # playground.suggest
    with app_request(app.app.registry) as request:
        made = set(request.dbsession.execute(select(Suggestion.image_id, Suggestion.label)).all())
        trust_before = trust_rows(request)
    assert len(made & partial) >= len(partial) / 2  # most left-out labels were guessed
    assert len(made & partial) >= len(made) / 2  # and most questions are right ones
    voter = new_client(app)
    seen = []
    for vote in ("no", "yes"):
        task = None
        while task is None or task["subject_kind"] != "playground_suggestion":
            task = app.get("/api/v1/tasks/next", params={"kind": "validate"}, headers=auth(voter)).json["task"]
            if task["subject_kind"] != "playground_suggestion":  # the new donations' own labels: answer them
                app.post_json(f"/api/v1/image-labels/{task['subject_id']}/votes", {"vote": "yes"},
                              headers=auth(voter))
        assert task["suggested_by"] == "model" and task["model"]["version"] == model["version"]
        assert task["question"] == f"Is there a {task['label']} in this picture?"
        assert task["label"] not in {il["label"] for il in task["image"]["labels"]}
        app.post_json("/api/v1/votes", {"votes": [{"kind": "playground_suggestion", "subject_id": task["subject_id"],
                                                   "vote": vote}]}, headers=auth(moderator))
        with app_request(app.app.registry) as request:  # the suggestion follows validate's verdict
            state = request.dbsession.get(Suggestion, int(task["subject_id"])).state
        assert state == ("rejected" if vote == "no" else "verified")
        seen.append(task)
        if vote == "no":
            with app_request(app.app.registry) as request:
                trust_after = trust_rows(request)
            assert trust_after == trust_before  # nobody owns a suggestion: rejecting it costs no one trust
    labels = [il["label"] for il in app.get(f"/api/v1/images/{seen[1]['image']['id']}").json["labels"]]
    assert seen[1]["label"] in labels


def test_with_every_plugin_statistics_navigation_extension_openapi(app_factory: Callable[..., TestApp]) -> None:
    from imagemonkey.plugins import installed_plugins

    app = app_factory(plugins=tuple(sorted(installed_plugins())), **SETTINGS)
    moderator = new_moderator(app)
    _, images = donate_all(app, count=28)
    run_jobs(app)  # report's screening makes the donations public: only public pictures count towards a training
    verify_all(app, images, moderator)
    model = train(app, moderator)
    assert model["status"] == "active"
    history = app.get("/api/v1/statistics").json["playground"]["history"]
    assert history == [{"version": 1, "map": model["map"], "image_labels": model["snapshot"]["image_labels"],
                        "images": 28, "active": True}]
    (chart,) = app.get("/api/v1/statistics").json["playground"]["charts"]
    assert (chart["id"], chart["kind"], chart["x_title"]) == ("playground-map", "xy", "Verified image labels learnt")
    assert chart["x"] == [model["snapshot"]["image_labels"]]
    assert chart["series"] == [{"name": "mAP", "values": [round(model["map"], 4)]}]
    table = app.get("/statistics").html.select_one("#chart-playground-map table")  # the chart's accessible form
    assert table["data-chart"] == "xy" and table["data-y-title"] == "validation mAP"
    assert [th.text for th in table.select("thead th")] == ["Verified image labels learnt", "mAP"]
    assert [table.select_one("tbody th").text, table.select_one("tbody td").text] == [
        str(model["snapshot"]["image_labels"]), str(round(model["map"], 4))]
    actions = {a["id"]: a for a in app.get("/api/v1/extension").json["actions"]}
    link, predict = actions["playground"], actions["playground-predict"]
    assert link["kind"] == "link" and link["url"] == "/playground" and link["contexts"] == ["page"]
    app.get(link["url"], status=200)
    assert predict["kind"] == "predict" and predict["title"] == "What does ImageMonkey see?"
    assert predict["contexts"] == ["image"] and predict["method"] == "POST" and "url" not in predict
    answer = app.post(predict["api"], upload_files=[("image", "q.jpg", pictures()[40][0])],  # as the extension does
                      headers=auth(new_client(app))).json
    assert answer["model"]["version"] == 1 and answer["predictions"]
    paths = app.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/playground/models", "/api/v1/playground/models/{id}/activate",
            "/api/v1/playground/predictions"} <= set(paths)
    assert "multipart/form-data" in paths["/api/v1/playground/predictions"]["post"]["requestBody"]["content"]
    page = app.get("/playground")
    assert "What does ImageMonkey see?" in page.text and "/playground" in app.get("/").text
    app.get("/playground/static/playground.js")
    assert predict_file(app, pictures()[41][0])["model"]["version"] == 1
