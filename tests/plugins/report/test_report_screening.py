"""Screening with the real NudeNet model on a real photograph of a person (scikit-image's astronaut),
a screener that raises, and pre-moderation's automatic unlock."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image as PILImage
from report_support import PLUGINS, donate, established_client, image_status, queue
from webtest import TestApp

from imagemonkey.hookspecs import hookimpl
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs

skimage_data = pytest.importorskip("skimage.data")
pytest.importorskip("nudenet")


def astronaut_jpeg() -> bytes:
    buffer = io.BytesIO()
    PILImage.fromarray(skimage_data.astronaut()).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def test_nudenet_face_class_as_hit_quarantines_the_astronaut(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS, **{"report.nudenet_classes": "FACE_FEMALE FACE_MALE",
                                          "report.nudenet_threshold": "0.4"})
    moderator = new_moderator(app)
    donor = new_client(app)
    image = donate(app, donor, data=astronaut_jpeg())["image"]
    image_id = image["id"]
    assert image["status"] == "pending"  # held until screened, on a post-moderation site too
    app.get(f"/api/v1/images/{image_id}", status=404)
    assert run_jobs(app) == 1
    assert image_status(app, moderator, image_id) == "quarantined"
    item = queue(app, moderator, kind="screened")["items"][0]
    assert item["image"]["id"] == image_id and item["reason"] == "nudity" and item["hidden"] is True
    detections = item["screening"]["result"]["results"]["nudenet"]["detections"]
    assert detections and detections[0]["class"] == "FACE_FEMALE" and detections[0]["score"] >= 0.4
    stats = app.get("/api/v1/statistics").json["report"]
    assert stats["queue_length"] == 1 and stats["screening_hits_per_day"][0]["hits"] == 1


def test_nudenet_default_classes_leave_the_astronaut_alone(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)
    moderator = new_moderator(app)
    image_id = donate(app, new_client(app), data=astronaut_jpeg())["image"]["id"]
    assert run_jobs(app) == 1
    assert image_status(app, moderator, image_id) == "public" and queue(app, moderator)["items"] == []
    jobs = app.get("/api/v1/jobs", params={"name": "report.screen"}, headers=auth(moderator)).json
    job = jobs.get("jobs", jobs.get("items"))[0]
    assert job["state"] == "done" and job["result"]["hit"] is False


class BrokenScreener:
    name = "broken"

    def screen(self, data: bytes) -> dict[str, Any]:
        raise RuntimeError("hash list unreachable")


class BrokenScreenerPlugin:
    @hookimpl
    def report_screeners(self, registry: Any) -> list[Any]:
        return [BrokenScreener()]


def test_hook_report_screeners(app_factory: Callable[..., TestApp]) -> None:
    """A screener that raises leaves a pre-moderated image pending, with the error on its queue item."""
    app = app_factory(plugins=PLUGINS)  # post-moderation: the image would be public once screened clean
    app.app.registry.pm.register(BrokenScreenerPlugin(), name="broken-screener")
    moderator, donor = new_moderator(app), established_client(app)
    image_id = donate(app, donor)["image"]["id"]
    run_jobs(app)
    item = queue(app, moderator)["items"][0]
    assert item["kind"] == "pending" and item["screening"]["error"] == "broken: RuntimeError: hash list unreachable"
    assert item["screening"]["result"]["results"]["nudenet"]["hit"] is False
    assert image_status(app, moderator, image_id) == "pending"


def test_pre_moderation_auto_unlocks_clean_donations_of_good_donors(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS, **{"imagemonkey.moderation": "pre"})
    moderator = new_moderator(app)
    trusted, fresh = established_client(app), new_client(app)
    unlocked = donate(app, trusted, seed=1)["image"]["id"]
    waiting = donate(app, fresh, seed=2)["image"]["id"]
    assert [i["image"]["id"] for i in queue(app, moderator)["items"]] == [unlocked, waiting]  # before screening
    assert run_jobs(app) == 2
    assert image_status(app, moderator, unlocked) == "public"
    assert image_status(app, moderator, waiting) == "pending"
    assert [(i["image"]["id"], i["kind"]) for i in queue(app, moderator)["items"]] == [(waiting, "pending")]
    assert queue(app, moderator)["items"][0]["screening"]["result"]["results"]["nudenet"]["hit"] is False
