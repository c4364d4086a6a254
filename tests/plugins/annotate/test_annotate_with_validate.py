"""annotate with the validate plugin enabled: verified-only tasks and exports, annotations as votable subjects."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import ELLIPSE, RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.export import run_export  # noqa: E402
from imagemonkey.testing import auth, new_client, settle_now  # noqa: E402

pytest.importorskip("imagemonkey_validate")


def verify(app: Any, image_label_id: str) -> None:
    """Vote yes with fresh contributors until validate calls the label verified."""
    for _ in range(12):
        app.post_json(f"/api/v1/image-labels/{image_label_id}/votes", {"vote": "yes"}, headers=auth(new_client(app)))
        settle_now(app)  # votes are counted after the commit
        label = app.get(f"/api/v1/image-labels/{image_label_id}").json
        if label["state"] == "verified":
            return
    raise AssertionError(f"image label {image_label_id} never became verified: {label}")


@pytest.mark.parametrize("order", [("validate", "annotate"), ("annotate", "validate")])
def test_only_verified_labels_become_tasks(app_factory: Any, order: tuple[str, str]) -> None:
    app = app_factory(plugins=order)
    token = new_client(app)
    image = donate(app, token, ["dog", "cat"], seed=41)
    dog = label_id(image, "dog")
    assert app.get("/api/v1/tasks/next?kind=annotate", headers=auth(token), status=204)
    verify(app, dog)
    for _ in range(5):
        task = app.get("/api/v1/tasks/next?kind=annotate", headers=auth(token)).json["task"]
        assert task["image_label"]["id"] == dog and task["image_label"]["state"] == "verified"


def test_annotations_are_a_votable_subject_and_edits_work(app_factory: Any) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    token = new_client(app)
    image = donate(app, token, ["dog"], seed=42)
    annotation = annotate(app, token, label_id(image, "dog"), [RECT]).json["annotation"]
    revised = app.put_json(f"/api/v1/annotations/{annotation['id']}", {"shapes": [ELLIPSE], "base_revision": 1},
                           headers=auth(token)).json["annotation"]
    assert revised["revision"] == 2
    kinds = [kind for found in app.app.registry.pm.hook.validate_subject_kinds() for kind in found]
    subject = next(kind for kind in kinds if kind["kind"] == "annotation")
    assert "{label}" in subject["question"]
    from imagemonkey.scripting import app_request

    with app_request(app.app.registry) as request:
        described = subject["describe"](request, [int(annotation["id"])])
    doc = described[int(annotation["id"])]
    assert doc["image_id"] == int(image["id"]) and doc["label"] == "dog"
    assert doc["annotation"]["shapes"] == [ELLIPSE]


def test_exports_hold_only_verified_labels(app_factory: Any, tmp_path: Path) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    token = new_client(app)
    verified = donate(app, token, ["dog"], seed=43)
    unverified = donate(app, token, ["dog"], seed=44)
    verify(app, label_id(verified, "dog"))
    annotate(app, token, label_id(verified, "dog"), [RECT])
    annotate(app, token, label_id(unverified, "dog"), [RECT])
    run_export(app.app.registry, "coco", tmp_path, copy_images=False)
    doc = json.loads((tmp_path / "annotations.json").read_text())
    assert [image["id"] for image in doc["images"]] == [int(verified["id"])]
    assert len(doc["annotations"]) == 1
