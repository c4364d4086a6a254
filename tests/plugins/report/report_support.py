"""Helpers for report's tests: distinct pictures, donations, reports, decisions, ageing contributors."""
from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
from PIL import Image as PILImage
from PIL import ImageDraw
from sqlalchemy import update
from webtest import TestApp

from imagemonkey.models import Contributor
from imagemonkey.models.types import utcnow
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client, settle_now

PLUGINS = ("report",)
ALL_PLUGINS = ("validate", "annotate", "report")
#: Most tests are about reports and decisions: they switch screening off (test_report_screening turns it on).
NO_SCREENING = {"report.screening": "false"}


def make(app_factory: Callable[..., TestApp], plugins: tuple[str, ...] = PLUGINS, **settings: Any) -> TestApp:
    """An app with ``plugins`` and, unless the settings say otherwise, no screening."""
    return app_factory(plugins=plugins, **{**NO_SCREENING, **settings})


def picture(seed: int, size: int = 96) -> bytes:
    """A JPEG of random shapes on noise: different seeds are never near duplicates."""
    rng = np.random.default_rng(seed)
    img = PILImage.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        x, y = rng.integers(0, size, 2)
        w, h = rng.integers(10, size // 2, 2)
        draw.rectangle((int(x), int(y), int(x + w), int(y + h)), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def donate(app: TestApp, token: str, seed: int = 0, labels: tuple[str, ...] = ("dog",), data: bytes | None = None,
           status: int = 201) -> dict[str, Any]:
    """Donate a picture; returns the answer's JSON (``image`` on success)."""
    response = app.post("/api/v1/images", params=[("label", label) for label in labels],
                        upload_files=[("image", f"{seed}.jpg", data or picture(seed))], headers=auth(token),
                        status=status)
    return response.json


def report(app: TestApp, token: str, image_id: str, reason: str = "nudity", note: str | None = None,
           status: int | str = 201) -> dict[str, Any]:
    """POST a report."""
    body: dict[str, Any] = {"reason": reason}
    if note is not None:
        body["note"] = note
    return app.post_json(f"/api/v1/images/{image_id}/reports", body, headers=auth(token), status=status).json


def decide(app: TestApp, token: str, image_id: str, decision: str, reason: str = "checked",
           status: int = 201) -> dict[str, Any]:
    """POST a moderation decision."""
    return app.post_json("/api/v1/moderation/decisions", {"image_id": image_id, "decision": decision,
                                                          "reason": reason}, headers=auth(token), status=status).json


def image_status(app: TestApp, moderator: str, image_id: str) -> str:
    """The image's status as a moderator sees it."""
    return app.get(f"/api/v1/images/{image_id}", headers=auth(moderator)).json["status"]


def queue(app: TestApp, moderator: str, **params: Any) -> dict[str, Any]:
    """A page of the moderation queue."""
    return app.get("/api/v1/moderation/queue", params=params, headers=auth(moderator)).json


def established_client(app: TestApp, days: int = 30) -> str:
    """A token whose contributor is ``days`` old (not fresh)."""
    token = new_client(app)
    contributor_id = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    with app_request(app.app.registry) as request:
        request.dbsession.execute(update(Contributor).where(Contributor.id == contributor_id)
                                  .values(created_at=utcnow() - timedelta(days=days)))
    return token


def standing_client(app: TestApp, moderator: str, agree: int = 10, disagree: int = 0, seed: int = 0,
                    address: str = "10.9.0.1") -> str:
    """A 30-day-old token with a validation record that counts as standing (validate plugin): it answers yes on
    ``agree + disagree`` dogs of three donors, half of them yesterday; a moderator then confirms ``agree`` of them
    and rejects the others."""
    from imagemonkey_validate.models import Vote

    token = established_client(app)
    donors = [new_client(app) for _ in range(3)]
    label_ids = [donate(app, donors[n % 3], seed=1000 * seed + 700 + n)["image"]["labels"][0]["id"]
                 for n in range(agree + disagree)]
    for label_id in label_ids:
        app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": "yes"}, headers=auth(token),
                      extra_environ={"REMOTE_ADDR": address})
    contributor_id = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    with app_request(app.app.registry) as request:  # half of the answers were given a day earlier
        request.dbsession.execute(update(Vote).where(Vote.contributor_id == contributor_id,
                                                     Vote.subject_id.in_([int(i) for i in label_ids[::2]]))
                                  .values(answered_at=utcnow() - timedelta(days=1)))
    for n, label_id in enumerate(label_ids):
        app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": "yes" if n < agree else "no"},
                      headers=auth(moderator))
    settle_now(app)
    return token
