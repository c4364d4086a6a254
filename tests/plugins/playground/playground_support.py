"""Helpers for the playground's tests: a small real dataset donated through the API, training, predicting."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from imagemonkey_playground import sample, split
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator, run_jobs, settle_now

SETTINGS = {"playground.min_images": "3", "playground.rate": "off", "playground.reload_seconds": "0",
            "validate.settlement": "inline"}  # votes settle right after their commit (ignored without validate)
LABELS = ["cat", "cup", "person", "motorcycle"]  # names in core's label catalog


@lru_cache(maxsize=1)
def pictures() -> list[tuple[bytes, list[str]]]:
    """40 pictures (crops of four scikit-image photographs; a quarter carry two labels) and 12 held out."""
    return sample.build(52, seed=5, labels=LABELS)


def donate_all(app: TestApp, count: int = 40) -> tuple[str, list[dict[str, Any]]]:
    """Donate the first ``count`` pictures with their labels; returns the donor's token and the Image JSONs."""
    donor = new_client(app)
    images = []
    for data, labels in pictures()[:count]:
        response = app.post("/api/v1/images", params=[("label", label) for label in labels],
                            upload_files=[("image", "p.jpg", data)], headers=auth(donor))
        images.append(response.json["image"])
    return donor, images


def verify_all(app: TestApp, images: list[dict[str, Any]], moderator: str) -> None:
    """A moderator's yes on every image label (verifies it with validate's policy)."""
    for image in images:
        for image_label in image["labels"]:
            app.post_json(f"/api/v1/image-labels/{image_label['id']}/votes", {"vote": "yes"},
                          headers=auth(moderator))
    settle_now(app)  # validate counts votes after the commit


def train(app: TestApp, moderator: str | None = None) -> dict[str, Any]:
    """Queue a training over HTTP, run the job, and answer the version's JSON."""
    moderator = moderator or new_moderator(app, "trainer")
    queued = app.post("/api/v1/playground/models", headers=auth(moderator), status=202).json
    assert queued["model"]["status"] == "queued"
    run_jobs(app)
    job = app.get(f"/api/v1/jobs/{queued['job']['id']}", headers=auth(moderator)).json
    assert job["state"] == "done", job
    models = app.get("/api/v1/playground/models").json["models"]
    return next(m for m in models if m["id"] == queued["model"]["id"])


def predict_file(app: TestApp, data: bytes, status: int = 200) -> dict[str, Any]:
    """POST a picture to the predictions endpoint."""
    return app.post("/api/v1/playground/predictions", upload_files=[("image", "q.jpg", data)], status=status).json


def held_out_accuracy(app: TestApp) -> float:
    """Share of the 12 held-out pictures whose top predictions are exactly their labels."""
    hits = 0
    held_out = pictures()[40:]
    for data, labels in held_out:
        answer = predict_file(app, data)
        top = {p["label"] for p in answer["predictions"][:len(labels)]}
        hits += top == set(labels)
    return hits / len(held_out)


def val_count(images: list[dict[str, Any]]) -> int:
    """How many of the images fall in the validation split."""
    return sum(split.split_of(int(image["id"])) == "val" for image in images)
