"""GET /api/v1/export: a query's images streamed as a tar, read back with each format's own reader."""
from __future__ import annotations

import io
import json
import sys
import tarfile
import time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from pycocotools.coco import COCO
from webob import Request

sys.path.insert(0, str(Path(__file__).parents[1] / "annotate"))
from annotate_support import POLYGON, RECT, annotate, donate, label_id  # noqa: E402
from imagemonkey_datasets.export_stream import QUEUE_ITEMS, ExportStream  # noqa: E402

from imagemonkey.export import run_export  # noqa: E402
from imagemonkey.testing import new_client  # noqa: E402

PLUGINS = ("annotate", "datasets")


@pytest.fixture
def dataset(app_factory: Any) -> dict[str, Any]:
    """Dogs with outlines, a cat, and a dog that is also a cat."""
    app = app_factory(plugins=PLUGINS)
    token = new_client(app)
    dogs = [donate(app, token, ["dog"], seed=60 + i) for i in range(3)]
    cat = donate(app, token, ["cat"], seed=70)
    both = donate(app, token, ["dog", "cat"], seed=71)
    for image in dogs:
        annotate(app, token, label_id(image, "dog"), [RECT])
    annotate(app, token, label_id(both, "dog"), [POLYGON])
    return {"app": app, "dogs": dogs, "cat": cat, "both": both}


def members(body: bytes) -> dict[str, bytes]:
    """The tar's members, in order, by name (the tar must end properly)."""
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:") as tar:
        return {info.name: tar.extractfile(info).read() for info in tar.getmembers() if info.isfile()}


def test_coco_export_reads_with_pycocotools(dataset: dict[str, Any], tmp_path: Path) -> None:
    answer = dataset["app"].get("/api/v1/export", {"q": "dog & ~cat", "format": "coco"}, status=200)
    assert answer.content_type == "application/x-tar" and "attachment" in answer.headers["Content-Disposition"]
    files = members(answer.body)
    with tarfile.open(fileobj=io.BytesIO(answer.body)) as tar:
        assert {(m.mtime, m.uid, m.uname) for m in tar.getmembers()} == {(0, 0, "")}  # deterministic entries
        tar.extractall(tmp_path, filter="data")
    coco = COCO(str(tmp_path / "annotations.json"))
    expected = {int(image["id"]) for image in dataset["dogs"]}
    assert set(coco.getImgIds()) == expected  # the image that is also a cat is left out by the query
    for image in coco.loadImgs(coco.getImgIds()):
        assert f"images/{image['file_name']}" in files
        (annotation,) = coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]]))
        assert annotation["bbox"] == [RECT["x"], RECT["y"], RECT["width"], RECT["height"]]
    assert list(files)[-1] == "annotations.json"  # images stream first, the annotations follow


def test_json_and_voc_exports(dataset: dict[str, Any]) -> None:
    app = dataset["app"]
    files = members(app.get("/api/v1/export", {"q": "cat", "format": "json"}).body)
    rows = [json.loads(line) for line in files["images.jsonl"].decode().splitlines()]
    assert sorted(row["id"] for row in rows) == sorted([dataset["cat"]["id"], dataset["both"]["id"]])
    assert all(row["file_name"] in files for row in rows)
    voc = members(app.get("/api/v1/export", {"q": "dog", "format": "voc"}).body)
    objects = [ET.fromstring(data).find("object/name").text for name, data in voc.items() if name.endswith(".xml")]
    assert objects == ["dog"] * 4


def test_export_errors(dataset: dict[str, Any], app_factory: Any) -> None:
    app = dataset["app"]
    syntax = app.get("/api/v1/export", {"q": "dog & (cat", "format": "coco"}, status=400).json["error"]
    assert syntax["code"] == "query_syntax" and isinstance(syntax["position"], int)
    unknown = app.get("/api/v1/export", {"q": "dog", "format": "bmp-zip"}, status=400).json["error"]
    assert unknown["code"] == "unknown_format" and "coco" in unknown["formats"]
    small = app_factory(plugins=PLUGINS, **{"datasets.max_export_images": "2"})
    token = new_client(small)
    for seed in range(3):
        donate(small, token, ["dog"], seed=80 + seed)
    too_many = small.get("/api/v1/export", {"q": "dog", "format": "json"}, status=413).json["error"]
    assert too_many["code"] == "too_many_images" and "release" in too_many["message"]
    assert small.get("/api/v1/export", {"format": "json"}, status=413).json["error"]["code"] == "too_many_images"


def test_webdataset_export_iterates_with_webdataset(dataset: dict[str, Any], tmp_path: Path) -> None:
    wds = pytest.importorskip("webdataset")
    body = dataset["app"].get("/api/v1/export", {"q": "dog", "format": "webdataset",
                                                 "include_unverified": "true"}).body
    shard = tmp_path / "dogs.tar"
    shard.write_bytes(body)
    samples = list(wds.WebDataset(str(shard), shardshuffle=False).decode("pil"))
    assert sorted(sample["__key__"] for sample in samples) == sorted(
        image["id"] for image in [*dataset["dogs"], dataset["both"]])
    for sample in samples:  # each picture and its JSON are next to each other in the stream
        assert sample["jpg"].size == (sample["json"]["width"], sample["json"]["height"])
        assert "dog" in sample["json"]["labels"] and sample["json"]["objects"][0]["label"] == "dog"


def test_labelme_export_and_unverified_labels_left_out(dataset: dict[str, Any]) -> None:
    app = dataset["app"]
    files = members(app.get("/api/v1/export", {"q": "dog & ~cat", "format": "labelme",
                                               "include_unverified": "true"}).body)
    documents = [json.loads(data) for name, data in files.items() if name.endswith(".json")]
    assert len(documents) == 3
    for document in documents:
        assert document["imagePath"] in files and document["imageData"] is None
        (shape,) = document["shapes"]
        assert shape["label"] == "dog" and shape["shape_type"] == "rectangle"
        assert shape["points"] == [[RECT["x"], RECT["y"]], [RECT["x"] + RECT["width"], RECT["y"] + RECT["height"]]]
    verified_only = members(app.get("/api/v1/export", {"q": "dog & ~cat", "format": "labelme"}).body)
    assert all(json.loads(data)["shapes"] == [] for name, data in verified_only.items() if name.endswith(".json"))
    bad = app.get("/api/v1/export", {"format": "labelme", "include_unverified": "maybe"}, status=400)
    assert bad.json["error"]["code"] == "invalid_include_unverified"


def test_imagefolder_export_keeps_empty_class_folders(app_factory: Any) -> None:
    app = app_factory(plugins=("validate", "datasets"))
    token = new_client(app)
    for seed in range(3):
        donate(app, token, ["dog"], seed=90 + seed)
    body = app.get("/api/v1/export", {"format": "imagefolder", "include_unverified": "true"}).body
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        folders = {info.name for info in tar.getmembers() if info.isdir()}
        pictures = [info.name for info in tar.getmembers() if info.isfile() and info.name.endswith(".jpg")]
    assert {"train/dog", "val/dog"} <= folders  # both splits number the classes the same
    assert len(pictures) == 3


def test_a_client_that_leaves_stops_the_exporter(app_factory: Any) -> None:
    app = app_factory(plugins=("datasets",))
    token = new_client(app)
    for seed in range(QUEUE_ITEMS + 6):  # more images than the queue holds: the exporter has to wait for the client
        donate(app, token, ["dog"], seed=200 + seed, width=32, height=24)
    status, headers, body = Request.blank("/api/v1/export?q=dog&format=json").call_application(app.app)
    assert status.startswith("200") and isinstance(body, ExportStream)
    chunks = iter(body)
    assert next(chunks).startswith(b"images/")  # the first image's header, at once
    time.sleep(0.2)  # the exporter fills the queue and waits
    assert body.thread is not None and body.thread.is_alive() and body.folder is not None
    chunks.close()  # the server drops a client that went away
    body.close()
    body.thread.join(timeout=5)
    assert not body.thread.is_alive() and not body.folder.exists()
    assert app.get("/api/v1/export", {"q": "dog", "format": "json"}).body.endswith(b"\0" * 1024)  # still serving


def test_exports_past_the_concurrency_cap_are_told_to_retry(app_factory: Any) -> None:
    app = app_factory(plugins=("datasets",), **{"datasets.max_concurrent_exports": "1"})
    token = new_client(app)
    donate(app, token, ["dog"], seed=300, width=32, height=24)
    _, _, first = Request.blank("/api/v1/export?format=json").call_application(app.app)
    busy = app.get("/api/v1/export", {"format": "json"}, status=503)
    assert busy.json["error"]["code"] == "export_busy" and busy.headers["Retry-After"] == "5"
    assert app.get("/api/v1/labels").status_int == 200  # the rest of the API is not held up
    first.close()  # the first export ends (a server closes every answer's body)
    assert app.get("/api/v1/export", {"format": "json"}).body.endswith(b"\0" * 1024)
    assert app.get("/api/v1/export", {"format": "json"}).body.endswith(b"\0" * 1024)  # its slot came back too


def test_the_cli_export_writes_labelme_and_webdataset_folders(dataset: dict[str, Any], tmp_path: Path) -> None:
    registry = dataset["app"].app.registry
    counts = run_export(registry, "labelme", tmp_path / "labelme", query="dog & ~cat", include_unverified=True)
    assert counts == {"images": 3}
    for image in dataset["dogs"]:
        document = json.loads((tmp_path / "labelme" / f"{image['id']}.json").read_text())
        assert (tmp_path / "labelme" / document["imagePath"]).is_file() and document["shapes"][0]["label"] == "dog"
    counts = run_export(registry, "webdataset", tmp_path / "wds", query="cat")
    assert counts == {"images": 2, "left_out_unverified": 3}  # verified labels only: none yet (validate is off)
    assert sorted(path.name for path in (tmp_path / "wds").iterdir()) == sorted(
        f"{image['id']}.{ext}" for image in (dataset["cat"], dataset["both"]) for ext in ("jpg", "json"))
