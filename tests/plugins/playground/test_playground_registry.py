"""The registry's rules over HTTP: automatic activation only on a better mAP, pins, rollback, bad input, hot swap."""
from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from imagemonkey_playground.registry import Comparison, beats
from playground_support import SETTINGS, donate_all, pictures, predict_file, train
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator

pytestmark = pytest.mark.training


def test_beats() -> None:
    assert beats(Comparison(0.9, 0.8, 3, 10), 3, 3)
    assert not beats(Comparison(0.8, 0.8, 3, 10), 3, 3)
    assert beats(Comparison(0.8, 0.8, 3, 10), 4, 3)  # as good on what both know, and knows more
    assert not beats(Comparison(0.7, 0.8, 3, 10), 5, 3)
    assert not beats(Comparison(None, 0.8, 3, 10), 3, 3)
    assert beats(Comparison(0.5, None, 0, 10), 2, 2)  # nothing shared to compare on


@pytest.fixture
def trained(app_factory: Callable[..., TestApp]) -> tuple[TestApp, str, dict]:
    """A playground-only app with version 1 trained (and so active)."""
    app = app_factory(plugins=("playground",), **SETTINGS)
    moderator = new_moderator(app)
    donate_all(app, count=28)
    return app, moderator, train(app, moderator)


def models(app: TestApp) -> dict[int, dict]:
    return {m["version"]: m for m in app.get("/api/v1/playground/models").json["models"]}


def activate(app: TestApp, token: str, model_id: str, status: int = 200, **body: object) -> dict:
    return app.post_json(f"/api/v1/playground/models/{model_id}/activate", body, headers=auth(token),
                         status=status).json


def test_auto_activation_pins_and_rollback(trained) -> None:  # noqa: ANN001
    app, moderator, first = trained
    assert first["status"] == "active" and not first["pinned"]
    second = train(app, moderator)  # the same data: the same mAP, not better -> stays ready
    comparison = second["metrics"]["comparison"]
    assert comparison["active_model"] == first["id"] and comparison["candidate_map"] == comparison["active_map"]
    assert second["status"] == "ready" and models(app)[1]["status"] == "active"
    # a moderator pins version 2; predictions follow at once (reload_seconds = 0)
    assert activate(app, moderator, second["id"])["model"]["pinned"] is True
    assert models(app)[1]["status"] == "ready"
    assert predict_file(app, pictures()[45][0])["model"]["version"] == 2
    # while pinned, a better version is not activated automatically
    donate_all(app, count=40)  # 12 more pictures
    third = train(app, moderator)
    assert third["status"] == "ready" and models(app)[2]["status"] == "active"
    # rollback to version 1, then unpinned activation lets automatic activation resume
    activate(app, moderator, first["id"])
    assert predict_file(app, pictures()[45][0])["model"]["version"] == 1
    assert activate(app, moderator, first["id"], pin=False)["model"]["pinned"] is False
    fourth = train(app, moderator)
    assert fourth["status"] == "active" or fourth["metrics"]["comparison"]["candidate_map"] <= \
        fourth["metrics"]["comparison"]["active_map"]


def test_bad_requests(trained) -> None:  # noqa: ANN001
    app, moderator, first = trained
    client = new_client(app)
    assert activate(app, client, first["id"], status=403)["error"]["code"] == "forbidden"
    assert app.post_json(f"/api/v1/playground/models/{first['id']}/activate", {}, status=401).json["error"]
    assert activate(app, moderator, "999999", status=404)["error"]["code"] == "not_found"
    assert activate(app, moderator, "abc", status=404)["error"]
    assert activate(app, moderator, first["id"], status=422, pin="yes")["error"]["field"] == "pin"
    app.post("/api/v1/playground/models", headers=auth(client), status=403)
    queued = app.post("/api/v1/playground/models", headers=auth(moderator), status=202).json["model"]
    assert activate(app, moderator, queued["id"], status=409)["error"]["code"] == "not_ready"
    post = app.post
    assert post("/api/v1/playground/predictions", b"x", content_type="text/plain", status=415).json["error"]
    assert post("/api/v1/playground/predictions", upload_files=[("image", "x.jpg", b"not an image")],
                status=422).json["error"]["code"] == "not_an_image"
    assert post("/api/v1/playground/predictions", upload_files=[("other", "x.jpg", pictures()[0][0])],
                status=422).json["error"]["code"] == "missing_image"
    assert post("/api/v1/playground/predictions", {"image": "1"}, status=415).json["error"]
    assert app.post_json("/api/v1/playground/predictions", {"image_id": True}, status=422).json["error"]
    assert app.post_json("/api/v1/playground/predictions", {"image_id": "999999"}, status=404).json["error"]
    assert app.post("/api/v1/playground/predictions", "{", content_type="application/json",
                    status=400).json["error"]
    assert app.get("/api/v1/playground/models?limit=0", status=400).json["error"]["code"] == "invalid_limit"
    assert app.get("/api/v1/playground/models?cursor=zzz", status=400).json["error"]["code"] == "invalid_cursor"


def test_models_paginate(trained) -> None:  # noqa: ANN001
    app, moderator, _ = trained
    train(app, moderator)
    page = app.get("/api/v1/playground/models?limit=1").json
    assert [m["version"] for m in page["models"]] == [2]
    rest = app.get(f"/api/v1/playground/models?limit=1&cursor={page['next_cursor']}").json
    assert [m["version"] for m in rest["models"]] == [1] and "next_cursor" not in rest


def test_hot_swap_under_concurrent_predictions(trained) -> None:  # noqa: ANN001
    """Four threads predict while a moderator switches versions ten times: no request fails, both versions serve."""
    app, moderator, first = trained
    second = train(app, moderator)
    picture = pictures()[44][0]
    stop = threading.Event()
    statuses: list[int] = []
    versions: set[int] = set()

    def client() -> None:
        own = TestApp(app.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        while not stop.is_set():
            response = own.post("/api/v1/playground/predictions", upload_files=[("image", "q.jpg", picture)],
                                expect_errors=True)
            statuses.append(response.status_int)
            if response.status_int == 200:
                versions.add(response.json["model"]["version"])

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for turn in range(10):
            activate(app, moderator, (second if turn % 2 == 0 else first)["id"])
            count = len(statuses)
            while len(statuses) < count + 2:
                threading.Event().wait(0.02)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert statuses and set(statuses) == {200}
    assert versions == {1, 2}


def test_retraining_after_new_labels(app_factory: Callable[..., TestApp]) -> None:
    """The hourly check queues a training once enough eligible labels came in since the last version."""
    from imagemonkey.jobs import enqueue_job
    from imagemonkey.testing import run_jobs

    app = app_factory(plugins=("playground",), **SETTINGS, **{"playground.retrain_after_labels": "10",
                                                              "playground.retrain_every": "0"})

    def check() -> list[int]:
        enqueue_job(app.app.registry, "playground.retrain_check")
        run_jobs(app)
        return sorted(models(app))

    assert check() == []  # nothing to learn from yet
    donor, _ = donate_all(app, count=28)
    assert check() == [1] and models(app)[1]["status"] == "active"
    for data, labels in pictures()[28:32]:  # at most 8 new labels: not yet
        app.post("/api/v1/images", params=[("label", label) for label in labels],
                 upload_files=[("image", "p.jpg", data)], headers=auth(donor))
    assert check() == [1]
    for data, labels in pictures()[32:40]:  # 12 new pictures in all: at least 12 new labels
        app.post("/api/v1/images", params=[("label", label) for label in labels],
                 upload_files=[("image", "p.jpg", data)], headers=auth(donor))
    assert check() == [1, 2] and models(app)[2]["snapshot"]["images"] == 40


def test_a_reverted_donors_images_are_not_trained_on(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("playground",), **SETTINGS)
    moderator = new_moderator(app)
    donate_all(app, count=28)
    vandal = new_client(app)
    for data, labels in pictures()[28:40]:
        app.post("/api/v1/images", params=[("label", label) for label in labels],
                 upload_files=[("image", "p.jpg", data)], headers=auth(vandal))
    vandal_id = app.get("/api/v1/me", headers=auth(vandal)).json["id"]
    app.post(f"/api/v1/contributors/{vandal_id}/revert", headers=auth(moderator))
    assert train(app, moderator)["snapshot"]["images"] == 28
