"""Settled properties reach the exports: COCO ``attributes`` (annotate's exporter and the releases' COCO), core's
``json`` export and a release's ``images.jsonl``, each read back with its format's reader."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from webtest import TestApp

from imagemonkey.export import run_export
from imagemonkey.plugin import PluginError, hookimpl
from imagemonkey.testing import auth, new_client, new_moderator

pytest.importorskip("imagemonkey_annotate")
sys.path.insert(0, str(Path(__file__).parents[1] / "annotate"))
sys.path.insert(0, str(Path(__file__).parents[1] / "datasets"))
from annotate_support import RECT, annotate, donate, label_id  # noqa: E402
from datasets_support import PHOTOS, build_photo_dataset, download, release  # noqa: E402


def settle(app: TestApp, image_label_id: str, value: str, prop: str = "color") -> None:
    """Fresh contributors answer ``value`` until it settles (five fresh answers settle it, with validate too)."""
    for _ in range(8):
        summary = app.post_json(f"/api/v1/image-labels/{image_label_id}/properties", {"property": prop, "value": value},
                                headers=auth(new_client(app))).json
        if summary["properties"][prop]["settled"] == value:
            return
    raise AssertionError(f"{prop} of image label {image_label_id} never settled")


@pytest.fixture
def outlined(app_factory: Callable[..., TestApp]) -> dict[str, Any]:
    """A dog whose colour settled and a cat with no answers, both outlined; a second dog, unsettled."""
    app = app_factory(plugins=("annotate", "refine"))
    token = new_client(app)
    first = donate(app, token, ["dog", "cat"], seed=41)
    second = donate(app, token, ["dog"], seed=42)
    for image, name in ((first, "dog"), (first, "cat"), (second, "dog")):
        annotate(app, token, label_id(image, name), [RECT])
    settle(app, label_id(first, "dog"), "brown")
    return {"app": app, "first": int(first["id"]), "second": int(second["id"])}


def test_coco_annotations_carry_settled_values_read_by_pycocotools(outlined: dict[str, Any], tmp_path: Path) -> None:
    from pycocotools.coco import COCO

    run_export(outlined["app"].app.registry, "coco", tmp_path, copy_images=False)
    coco = COCO(str(tmp_path / "annotations.json"))
    names = {cat["id"]: cat["name"] for cat in coco.loadCats(coco.getCatIds())}
    first = {names[ann["category_id"]]: ann["attributes"] for ann in coco.loadAnns(coco.getAnnIds(
        imgIds=[outlined["first"]]))}
    assert first == {"dog": {"color": "brown"}, "cat": {}}
    (second,) = coco.loadAnns(coco.getAnnIds(imgIds=[outlined["second"]]))
    assert second["attributes"] == {}  # unsettled: nothing is claimed


def test_json_export_carries_settled_values(outlined: dict[str, Any], tmp_path: Path) -> None:
    run_export(outlined["app"].app.registry, "json", tmp_path, copy_images=False)
    rows = {int(row["id"]): row for row in map(json.loads, (tmp_path / "images.jsonl").read_text().splitlines())}
    assert rows[outlined["first"]]["attributes"] == {"dog": {"color": "brown"}}
    assert rows[outlined["second"]]["attributes"] == {}


def test_two_plugins_claiming_one_attribute_is_a_plugin_error(outlined: dict[str, Any], tmp_path: Path) -> None:
    class Clash:
        @hookimpl
        def imagemonkey_export_attributes(self, request: Any, image_label_ids: list[int]) -> dict[int, Any]:
            return {image_label_id: {"color": "green"} for image_label_id in image_label_ids}

    outlined["app"].app.registry.pm.register(Clash())
    with pytest.raises(PluginError, match="'color'"):
        run_export(outlined["app"].app.registry, "coco", tmp_path, copy_images=False)


def test_a_release_carries_settled_values_in_its_index_and_coco(app_factory: Callable[..., TestApp],
                                                                tmp_path: Path) -> None:
    pytest.importorskip("imagemonkey_validate")
    pytest.importorskip("imagemonkey_datasets")
    from pycocotools.coco import COCO

    app = app_factory(plugins=("validate", "annotate", "refine", "datasets"), **{"imagemonkey.moderation": "post"})
    photos = build_photo_dataset(app, [photo for photo in PHOTOS if photo[0] in ("chelsea", "coffee")])["images"]
    settle(app, next(item["id"] for item in photos["chelsea"]["labels"] if item["label"] == "cat"), "white")
    doc = release(app, new_moderator(app), version="1.0")
    assert doc["status"] == "ready", doc
    files = download(app, doc, tmp_path)
    index = {row["image_id"]: row for row in map(json.loads, files["images.jsonl"].read_text().splitlines())}
    assert index[int(photos["chelsea"]["id"])]["labels"] == [
        {"label": "cat", "state": "verified", "attributes": {"color": "white"}}]
    assert index[int(photos["coffee"]["id"])]["labels"][0]["attributes"] == {}
    coco = COCO(str(tmp_path / "coco" / "annotations.json"))
    (ann,) = coco.loadAnns(coco.getAnnIds(imgIds=[int(photos["chelsea"]["id"])]))
    assert ann["attributes"] == {"color": "white"}
    (cup,) = coco.loadAnns(coco.getAnnIds(imgIds=[int(photos["coffee"]["id"])]))
    assert cup["attributes"] == {}


def test_webdataset_samples_carry_settled_values(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    pytest.importorskip("imagemonkey_datasets")
    app = app_factory(plugins=("refine", "datasets"))
    image = donate(app, new_client(app), ["dog", "cat"], seed=43)
    settle(app, label_id(image, "cat"), "black")
    run_export(app.app.registry, "webdataset", tmp_path, copy_images=False, include_unverified=True)
    sample = json.loads((tmp_path / f"{image['id']}.json").read_text())
    assert sample["labels"] == ["cat", "dog"] and sample["attributes"] == {"cat": {"color": "black"}}


def test_a_release_carries_an_outlined_objects_own_value(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    pytest.importorskip("imagemonkey_validate")
    pytest.importorskip("imagemonkey_datasets")
    from pycocotools.coco import COCO

    app = app_factory(plugins=("validate", "annotate", "refine", "datasets"), **{"imagemonkey.moderation": "post"})
    photos = build_photo_dataset(app, [photo for photo in PHOTOS if photo[0] in ("chelsea", "coffee")])["images"]
    task = app.get("/api/v1/tasks/next", {"kind": "refine", "label": "cat"}, headers=auth(new_client(app))).json["task"]
    assert "shape" in task, task  # the outlined cat is asked about first
    for _ in range(8):  # fresh contributors answer until the outline's own colour settles
        summary = app.post_json(f"/api/v1/shapes/{task['shape']['id']}/properties",
                                {"property": "color", "value": "black"}, headers=auth(new_client(app))).json
        if summary["properties"]["color"]["settled"] == "black":
            break
    else:
        raise AssertionError("the outline's colour never settled")
    doc = release(app, new_moderator(app), version="1.0")
    assert doc["status"] == "ready", doc
    files = download(app, doc, tmp_path)
    index = {row["image_id"]: row for row in map(json.loads, files["images.jsonl"].read_text().splitlines())}
    cat = index[int(photos["chelsea"]["id"])]
    assert cat["labels"][0]["attributes"] == {}  # the image label itself settled nothing
    assert [item["attributes"] for item in cat["objects"]] == [{"color": "black"}]
    assert [item["attributes"] for item in index[int(photos["coffee"]["id"])]["objects"]] == [{}]
    coco = COCO(str(tmp_path / "coco" / "annotations.json"))
    (ann,) = coco.loadAnns(coco.getAnnIds(imgIds=[int(photos["chelsea"]["id"])]))
    assert ann["attributes"] == {"color": "black"}
