"""Annotate tasks: labels without shapes, chosen label, skips, 'can't be annotated' three times."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.testing import auth, new_client  # noqa: E402


@pytest.fixture
def app(app_factory: Any) -> Any:
    return app_factory(plugins=("annotate",))


def next_task(app: Any, token: str, label: str | None = None, status: int = 200) -> Any:
    query = f"&label={label}" if label else ""
    response = app.get(f"/api/v1/tasks/next?kind=annotate{query}", headers=auth(token), status=status)
    return response.json["task"] if status == 200 else None


def test_task_shape_and_label_choice(app: Any) -> None:
    token = new_client(app)
    image = donate(app, token, ["dog", "cat"], seed=21)
    for _ in range(10):
        task = next_task(app, token, "dog")
        assert task["kind"] == "annotate" and task["image"]["id"] == image["id"]
        assert task["image_label"]["label"] == "dog" and task["image_label"]["id"] == label_id(image, "dog")
        assert task["editor_url"] == f"/annotate/{image['id']}?label=dog"
    assert next_task(app, token, "puppy")["image_label"]["label"] == "dog"  # aliases resolve
    assert next_task(app, token, "car", status=204) is None
    assert app.get("/api/v1/tasks/next?kind=annotate&label=nonsense-label", headers=auth(token),
                   status=404).json["error"]["code"] == "unknown_label"
    assert app.get("/api/v1/tasks/next?kind=annotate", status=401)


def test_annotated_labels_are_no_longer_tasks_until_their_shapes_are_removed(app: Any) -> None:
    token = new_client(app)
    image = donate(app, token, ["dog", "cat"], seed=22)
    annotation_id = annotate(app, token, label_id(image, "dog"), [RECT]).json["annotation"]["id"]
    for _ in range(10):
        assert next_task(app, token)["image_label"]["label"] == "cat"
    assert next_task(app, token, "dog", status=204) is None
    app.put_json(f"/api/v1/annotations/{annotation_id}", {"shapes": [], "base_revision": 1}, headers=auth(token))
    assert next_task(app, token, "dog")["image_label"]["label"] == "dog"


def test_skip_is_per_contributor(app: Any) -> None:
    token, other = new_client(app), new_client(app)
    image = donate(app, token, ["dog"], seed=23)
    dog = label_id(image, "dog")
    assert app.post(f"/api/v1/image-labels/{dog}/skip", headers=auth(token)).json["skipped"] is True
    assert app.post(f"/api/v1/image-labels/{dog}/skip", headers=auth(token)).json["skipped"] is True  # idempotent
    assert next_task(app, token, status=204) is None
    assert next_task(app, other)["image_label"]["id"] == dog


def test_three_not_annotatable_marks_retire_a_label(app: Any) -> None:
    first = new_client(app)
    image = donate(app, first, ["dog"], seed=24)
    dog = label_id(image, "dog")
    url = f"/api/v1/image-labels/{dog}/not-annotatable"
    counts = []
    clients = [first, new_client(app), new_client(app)]
    for token in clients[:2]:
        counts.append(app.post(url, headers=auth(token)).json["not_annotatable_count"])
        assert next_task(app, token, status=204) is None  # the mark is also this contributor's skip
    assert app.post(url, headers=auth(first)).json["not_annotatable_count"] == 2  # once per contributor
    fresh = new_client(app)
    assert next_task(app, fresh)["image_label"]["id"] == dog
    result = app.post(url, headers=auth(clients[2])).json
    assert counts == [1, 2] and result == {"image_label_id": dog, "not_annotatable_count": 3, "retired": True}
    assert next_task(app, fresh, status=204) is None


def test_only_public_images_are_tasks(app_factory: Any) -> None:
    app = app_factory(plugins=("annotate",), **{"imagemonkey.moderation": "pre"})
    token = new_client(app)
    donate(app, token, ["dog"], seed=25)
    assert next_task(app, token, status=204) is None


def test_many_candidates_every_label_reachable_with_bounded_probes(app: Any) -> None:
    token = new_client(app)
    images = [donate(app, token, ["dog"], seed=100 + i) for i in range(40)]
    wanted = {label_id(image, "dog") for image in images}
    for image in images[:39]:
        app.post(f"/api/v1/image-labels/{label_id(image, 'dog')}/skip", headers=auth(token))
    for _ in range(5):
        assert next_task(app, token)["image_label"]["id"] == label_id(images[39], "dog")
    seen = {next_task(app, new_client(app))["image_label"]["id"] for _ in range(60)}
    assert len(seen) > 5 and seen <= wanted
