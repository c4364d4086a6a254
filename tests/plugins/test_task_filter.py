"""A quarantined (or plugin-filtered) image leaves validate's and annotate's tasks at once."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from PIL import Image as PILImage
from webtest import TestApp

from imagemonkey.plugin import hookimpl
from imagemonkey.testing import auth, new_client, new_moderator, settle_now


def picture(seed: int) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (120, 90), ((seed * 53) % 256, (seed * 97) % 256, (seed * 31) % 256)).save(out, "JPEG")
    return out.getvalue()


def donate(app: TestApp, token: str, seed: int) -> str:
    return app.post("/api/v1/images", params={"label": "dog"}, upload_files=[("image", "a.jpg", picture(seed))],
                    headers=auth(token), status=201).json["image"]["id"]


def task(app: TestApp, token: str, kind: str) -> dict[str, Any] | None:
    answer = app.get("/api/v1/tasks/next", {"kind": kind}, headers=auth(token))
    return answer.json["task"] if answer.status_int == 200 else None


def test_quarantine_takes_an_image_out_of_validate_and_annotate_tasks(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    moderator = new_moderator(app)
    image = donate(app, new_client(app), 1)
    label_id = app.get(f"/api/v1/images/{image}").json["labels"][0]["id"]
    app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": "yes"}, headers=auth(moderator))  # verified
    worker = new_client(app)
    assert task(app, worker, "annotate")["image"]["id"] == image
    assert task(app, new_client(app), "validate") is None  # a moderator's vote settled it
    app.post_json(f"/api/v1/images/{image}/status", {"status": "quarantined"}, headers=auth(moderator))
    assert task(app, worker, "annotate") is None
    app.post_json(f"/api/v1/images/{image}/status", {"status": "public"}, headers=auth(moderator))
    assert task(app, worker, "annotate")["image"]["id"] == image


def test_a_plugins_task_filter_applies_to_validate_and_annotate(app_factory: Callable[..., TestApp]) -> None:
    class ReportedByMe:
        blocked: set[int] = set()

        @hookimpl
        def imagemonkey_task_image_filter(self, request: Any, image_id: Any) -> Any:
            return image_id.not_in(sorted(self.blocked)) if self.blocked else None

    app = app_factory(plugins=("validate", "annotate"))
    filter_ = ReportedByMe()
    app.app.registry.pm.register(filter_)
    image = donate(app, new_client(app), 2)
    worker = new_client(app)
    assert task(app, worker, "validate")["image"]["id"] == image
    filter_.blocked.add(int(image))
    assert task(app, worker, "validate") is None
    grid = app.get("/api/v1/tasks/grid", {"label": "dog"}, headers=auth(worker)).json
    assert grid["items"] == []
    filter_.blocked.clear()
    assert [item["image"]["id"] for item in app.get("/api/v1/tasks/grid", {"label": "dog"},
                                                     headers=auth(worker)).json["items"]] == [image]
    label_id = app.get(f"/api/v1/images/{image}").json["labels"][0]["id"]
    app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": "yes"}, headers=auth(new_moderator(app)))
    settle_now(app)  # the moderator's vote verifies the label once it is settled, after the commit
    assert task(app, worker, "annotate")["image"]["id"] == image
    filter_.blocked.add(int(image))
    assert task(app, worker, "annotate") is None
