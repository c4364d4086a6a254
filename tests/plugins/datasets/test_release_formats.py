"""A release built over HTTP on real photographs (labels, votes, outlines), every format loaded by its own reader."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from datasets_support import build_photo_dataset, download, local_url, release  # noqa: E402

from imagemonkey.testing import auth, new_moderator  # noqa: E402

pytest.importorskip("imagemonkey_validate")
pytest.importorskip("imagemonkey_annotate")
PLUGINS = ("validate", "annotate", "datasets")
SETTINGS = {"imagemonkey.moderation": "post", "datasets.shard_images": "2"}


@pytest.fixture
def built(app_factory: Any, tmp_path: Path) -> dict[str, Any]:
    app = app_factory(plugins=PLUGINS, **SETTINGS)
    data = build_photo_dataset(app)
    moderator = new_moderator(app)
    doc = release(app, moderator, version="1.0")
    assert doc["status"] == "ready", doc
    return {"app": app, "moderator": moderator, "doc": doc, "files": download(app, doc, tmp_path / "r1"),
            "root": tmp_path / "r1", **data}


def test_release_document_and_checksums(built: dict[str, Any]) -> None:
    doc, root = built["doc"], built["root"]
    assert doc["version"] == "1.0" and doc["revision"] == 1 and doc["license"] == "CC0-1.0"
    assert doc["counts"] == {"images": 5, "image_labels": 6, "labels": 5, "shapes": 4, "verified": 6}
    names = {item["name"] for item in doc["files"]}
    assert {"README.md", "images.jsonl", "croissant.json", "CITATION.cff", "SHA256SUMS", "CHANGES.md", "coco-r1.zip",
            "voc-r1.zip", "yolo-r1.zip", "imagefolder-r1.zip", "labelme-r1.zip"} <= names
    assert sorted(n for n in names if n.startswith("webdataset")) == [
        "webdataset-000000-r1.tar", "webdataset-000001-r1.tar", "webdataset-000002-r1.tar"]
    listed = {}
    for line in (root / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        listed[name] = digest
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest
    assert set(listed) == names - {"SHA256SUMS"}
    for item in doc["files"]:
        assert item["sha256"] == hashlib.sha256((root / item["name"]).read_bytes()).hexdigest()
    card = (root / "README.md").read_text()
    for words in ("## Dataset summary", "## Dataset structure", "**Verified**", "## Counts per label",
                  "| person | 2 | 2 | 100% |", "| camera |", "include_unverified: no", "## Licence", "CC0-1.0",
                  "## Citation", "@misc{imagemonkey_1_0", "## Known limitations and biases", "99%"):
        assert words in card, words
    assert "cff-version: 1.2.0" in (root / "CITATION.cff").read_text()
    assert "The first release" in (root / "CHANGES.md").read_text()


def test_coco_voc_yolo_labelme_load(built: dict[str, Any]) -> None:
    from pycocotools.coco import COCO

    root, images = built["root"], built["images"]
    coco = COCO(str(root / "coco" / "annotations.json"))
    assert sorted(cat["name"] for cat in coco.loadCats(coco.getCatIds())) == ["building", "cat", "cup", "person", "sky"]
    assert len(coco.getImgIds()) == 5 and len(coco.getAnnIds()) == 4
    astronaut = int(images["astronaut"]["id"])
    (ann,) = coco.loadAnns(coco.getAnnIds(imgIds=[astronaut]))
    assert ann["bbox"] == [140.0, 20.0, 260.0, 490.0]
    for info in coco.loadImgs(coco.getImgIds()):
        assert (root / "coco" / "images" / info["file_name"]).is_file()
        assert coco.annToMask(coco.loadAnns(coco.getAnnIds(imgIds=[info["id"]]))[0]).any() \
            if coco.getAnnIds(imgIds=[info["id"]]) else True

    voc = root / "voc" / "VOCdevkit" / "VOC2012"
    xml = ET.parse(voc / "Annotations" / f"{astronaut}.xml").getroot()
    box = xml.find("object/bndbox")
    assert xml.findtext("object/name") == "person"
    assert [int(box.findtext(tag)) for tag in ("xmin", "ymin", "xmax", "ymax")] == [141, 21, 400, 510]
    trainval = (voc / "ImageSets" / "Main" / "trainval.txt").read_text().split()
    assert len(trainval) == 5 and all((voc / "JPEGImages" / f"{stem}.jpg").is_file() for stem in trainval)
    from PIL import Image

    with Image.open(voc / "JPEGImages" / f"{images['chelsea']['id']}.jpg") as picture:  # a PNG, re-encoded
        assert picture.format == "JPEG"

    yolo = root / "yolo"
    data = (yolo / "data.yaml").read_text()
    assert "nc: 5" in data and '0: "building"' in data
    rows = 0
    for label_file in (yolo / "labels").rglob("*.txt"):
        for row in label_file.read_text().splitlines():
            cls, *values = row.split()
            assert 0 <= int(cls) < 5 and len(values) == 4 and all(0 <= float(v) <= 1 for v in values)
            rows += 1
        split = label_file.parent.name
        assert list((yolo / "images" / split).glob(label_file.stem + ".*"))
    assert rows == 4

    # LabelMe: the `labelme` package imports PyQt5 and onnxruntime at import time (no GUI-free loader), so this
    # checks the rules of labelme 6.3's LabelFile.load and _load_shape_json_obj: the file's keys, and per shape
    # only its known keys, a str label, a non-empty list of [x, y] numbers, a str shape_type (a rectangle: 2 points).
    labelme = root / "labelme"
    shape_keys = {"label", "points", "group_id", "shape_type", "flags", "description", "mask"}
    for image in images.values():
        document = json.loads((labelme / f"{image['id']}.json").read_text())
        assert {"version", "flags", "shapes", "imagePath", "imageData", "imageHeight", "imageWidth"} <= set(document)
        assert (labelme / document["imagePath"]).is_file() and document["imageData"] is None
        assert document["imageWidth"] == image["width"] and document["imageHeight"] == image["height"]
        for shape in document["shapes"]:
            assert set(shape) <= shape_keys and isinstance(shape["label"], str) and shape["points"]
            assert all(isinstance(p, list) and len(p) == 2 and all(isinstance(v, int | float) for v in p)
                       for p in shape["points"])
            assert shape["shape_type"] in ("rectangle", "polygon")
            assert len(shape["points"]) == 2 if shape["shape_type"] == "rectangle" else len(shape["points"]) >= 3
    astronaut_doc = json.loads((labelme / f"{astronaut}.json").read_text())
    assert astronaut_doc["shapes"][0]["points"] == [[140.0, 20.0], [400.0, 510.0]]


def test_imagefolder_loads_in_hugging_face_datasets(built: dict[str, Any], tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    ds = datasets.load_dataset("imagefolder", data_dir=str(built["root"] / "imagefolder"), split="train",
                               cache_dir=str(tmp_path / "hf"))
    assert len(ds) == 5
    rows = {row["image_id"]: row for row in ds}
    astronaut = rows[int(built["images"]["astronaut"]["id"])]
    assert sorted(astronaut["labels"]) == ["person"]
    assert astronaut["objects"]["bbox"] == [[140.0, 20.0, 260.0, 490.0]]
    assert astronaut["objects"]["category"] == ["person"]
    assert astronaut["image"].size == (512, 512)


def test_webdataset_streams_every_sample(built: dict[str, Any]) -> None:
    wds = pytest.importorskip("webdataset")
    shards = sorted(str(p) for p in built["root"].glob("webdataset-*.tar"))
    samples = list(wds.WebDataset(shards, shardshuffle=False).decode("pil"))
    assert len(samples) == 5
    for sample in samples:
        image = next(sample[key] for key in ("jpg", "png") if key in sample)
        assert image.size == (sample["json"]["width"], sample["json"]["height"])
        assert sample["json"]["labels"]


def test_croissant_validates_and_iterates(built: dict[str, Any]) -> None:
    mlc = pytest.importorskip("mlcroissant")
    dataset = mlc.Dataset(jsonld=str(built["root"] / "croissant.json"))
    records = list(dataset.records(record_set="images"))
    assert len(records) == 5
    ids = sorted(int(record["images/image_id"]) for record in records)
    assert ids == sorted(int(image["id"]) for image in built["images"].values())


def test_range_request_resumes_and_conditional_requests(built: dict[str, Any]) -> None:
    app, doc, root = built["app"], built["doc"], built["root"]
    item = next(item for item in doc["files"] if item["name"] == "coco-r1.zip")
    url, whole = local_url(item["url"]), (root / "coco-r1.zip").read_bytes()
    full = app.get(url)
    assert full.headers["Accept-Ranges"] == "bytes" and full.headers["ETag"] == f'"{item["sha256"]}"'
    head = app.get(url, headers={"Range": "bytes=0-999"}, status=206)
    assert head.headers["Content-Range"] == f"bytes 0-999/{len(whole)}" and head.body == whole[:1000]
    rest = app.get(url, headers={"Range": "bytes=1000-", "If-Range": full.headers["ETag"]}, status=206)
    assert head.body + rest.body == whole
    assert app.get(url, headers={"Range": "bytes=-10"}, status=206).body == whole[-10:]
    assert app.get(url, headers={"Range": "bytes=0-9", "If-Range": '"other"'}, status=200).body == whole
    assert app.get(url, headers={"If-None-Match": full.headers["ETag"]}, status=304).body == b""
    error = app.get(url, headers={"Range": f"bytes={len(whole) + 10}-"}, status=416).json["error"]
    assert error["code"] == "range_not_satisfiable"
    assert app.get(url.replace("coco-r1.zip", "nope.zip"), status=404).json["error"]["code"] == "not_found"


def test_bad_input_is_a_clear_4xx(built: dict[str, Any]) -> None:
    app, moderator = built["app"], built["moderator"]
    contributor = built["token"]
    assert app.post_json("/api/v1/releases", {}, status=401).json["error"]["code"] == "unauthenticated"
    assert app.post_json("/api/v1/releases", {}, headers=auth(contributor), status=403).json["error"]["code"] == \
        "forbidden"
    cases = [({"version": "1.0"}, 409, "version_exists"), ({"version": "../x"}, 422, None),
             ({"formats": ["tiff"]}, 422, None), ({"formats": []}, 422, None),
             ({"query": "dog &"}, 400, "query_syntax"),
             ({"include_unverified": "yes"}, 422, None)]
    for body, status, code in cases:
        error = app.post_json("/api/v1/releases", body, headers=auth(moderator), status=status).json["error"]
        assert error["message"] and (code is None or error["code"] == code), (body, error)
    assert app.get("/api/v1/releases/nope", status=404).json["error"]["code"] == "not_found"
    assert len(app.get("/api/v1/releases").json["releases"]) == 1  # nothing was stored by the bad requests
