"""Scene labels (whole-picture labels such as ``night``) are never annotate tasks, and outlining one is a 422."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.scripting import app_request  # noqa: E402
from imagemonkey.testing import auth, new_client  # noqa: E402
from imagemonkey_annotate.models import Candidate  # noqa: E402


@pytest.fixture
def app(app_factory: Any) -> Any:
    return app_factory(plugins=("annotate",))


def test_scene_labels_are_never_offered_as_tasks(app: Any) -> None:
    token = new_client(app)
    assert app.app.registry["catalog"].by_name["night"].scene
    image = donate(app, token, ["night", "indoor", "dog"], seed=41)
    for _ in range(15):
        task = app.get("/api/v1/tasks/next?kind=annotate", headers=auth(token)).json["task"]
        assert task["image_label"]["label"] == "dog"
    app.get("/api/v1/tasks/next?kind=annotate&label=night", headers=auth(token), status=204)
    with app_request(app.app.registry) as request:  # no candidate rows for them at all
        labels = set(request.dbsession.scalars(select(Candidate.label).where(
            Candidate.image_id == int(image["id"]))))
    assert labels == {"dog"}
    annotate(app, token, label_id(image, "dog"), [RECT])
    app.get("/api/v1/tasks/next?kind=annotate", headers=auth(token), status=204)  # scenes left: no task


def test_outlining_a_scene_label_is_422(app: Any) -> None:
    token = new_client(app)
    image = donate(app, token, ["night", "dog"], seed=42)
    error = annotate(app, token, label_id(image, "night"), [RECT], status=422).json["error"]
    assert error["code"] == "scene_label" and "night" in error["message"]
    annotate(app, token, label_id(image, "dog"), [RECT])  # a thing on the same image is outlined as ever


def test_a_not_annotatable_mark_on_a_scene_label_makes_no_task(app: Any) -> None:
    token = new_client(app)
    image = donate(app, token, ["night"], seed=43)
    answer = app.post(f"/api/v1/image-labels/{label_id(image, 'night')}/not-annotatable", headers=auth(token)).json
    assert answer["not_annotatable_count"] == 0
    app.get("/api/v1/tasks/next?kind=annotate", headers=auth(new_client(app)), status=204)
