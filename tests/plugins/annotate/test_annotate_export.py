"""COCO, Pascal VOC and YOLO exports: round trips, and loading them with pycocotools and torchvision."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import ELLIPSE, POLYGON, RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.export import run_export  # noqa: E402
from imagemonkey.testing import new_client  # noqa: E402

W, H = 160, 120
FULL = {"type": "rect", "x": 0, "y": 0, "width": W, "height": H}


@pytest.fixture
def dataset(app_factory: Any) -> dict[str, Any]:
    """Four images: shapes of every type, a PNG, an annotation without shapes, one without annotations."""
    app = app_factory(plugins=("annotate",))
    token = new_client(app)
    a = donate(app, token, ["dog", "cat"], seed=31)
    b = donate(app, token, ["dog"], seed=32, fmt="PNG")
    c = donate(app, token, ["car"], seed=33)
    d = donate(app, token, ["tree"], seed=34)
    annotate(app, token, label_id(a, "dog"), [RECT, POLYGON])
    annotate(app, token, label_id(a, "cat"), [ELLIPSE])
    annotate(app, token, label_id(b, "dog"), [FULL])
    annotate(app, token, label_id(c, "car"), [])
    return {"app": app, "images": {"a": a, "b": b, "c": c, "d": d},
            "expected": {int(a["id"]): [("dog", RECT), ("dog", POLYGON), ("cat", ELLIPSE)],
                         int(b["id"]): [("dog", FULL)], int(c["id"]): []}}


def box_of(shape: dict[str, Any]) -> tuple[float, float, float, float]:
    if shape["type"] == "rect":
        return shape["x"], shape["y"], shape["width"], shape["height"]
    if shape["type"] == "ellipse":
        return shape["cx"] - shape["rx"], shape["cy"] - shape["ry"], 2 * shape["rx"], 2 * shape["ry"]
    xs, ys = [p[0] for p in shape["points"]], [p[1] for p in shape["points"]]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def export(dataset: dict[str, Any], name: str, out: Path, **options: Any) -> dict[str, int]:
    return run_export(dataset["app"].app.registry, name, out, **options)


def test_coco_round_trip(dataset: dict[str, Any], tmp_path: Path) -> None:
    counts = export(dataset, "coco", tmp_path)
    doc = json.loads((tmp_path / "annotations.json").read_text())
    assert counts == {"images": 3, "annotations": 4, "categories": 3}
    assert doc["info"] and doc["licenses"][0]["id"] == 1
    categories = {c["id"]: c["name"] for c in doc["categories"]}
    assert categories == {1: "car", 2: "cat", 3: "dog"}
    assert len({a["id"] for a in doc["annotations"]}) == len(doc["annotations"]) == 4
    by_image: dict[int, list[Any]] = {}
    for ann in doc["annotations"]:
        by_image.setdefault(ann["image_id"], []).append(ann)
    for image in doc["images"]:
        assert (tmp_path / "images" / image["file_name"]).is_file()
        expected = dataset["expected"][image["id"]]
        got = by_image.get(image["id"], [])
        assert [categories[a["category_id"]] for a in got] == [label for label, _ in expected]
        for ann, (_, shape) in zip(got, expected, strict=True):
            assert ann["bbox"] == pytest.approx(box_of(shape), abs=1e-3)
            assert ann["iscrowd"] == 0 and len(ann["segmentation"]) == 1
            assert len(ann["segmentation"][0]) % 2 == 0 and len(ann["segmentation"][0]) >= 6
            if shape["type"] == "polygon":
                assert ann["segmentation"][0] == [v for p in shape["points"] for v in p]
                assert ann["area"] == pytest.approx(2100.0)  # shoelace of POLYGON
            if shape["type"] == "rect":
                assert ann["area"] == pytest.approx(shape["width"] * shape["height"])
            if shape["type"] == "ellipse":
                assert ann["area"] == pytest.approx(3.14159 * 20 * 10, rel=0.01)


def test_coco_loads_in_pycocotools_and_evaluates_to_ap_one(dataset: dict[str, Any], tmp_path: Path) -> None:
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    export(dataset, "coco", tmp_path)
    ground_truth = COCO(str(tmp_path / "annotations.json"))
    detections = ground_truth.loadRes([{"image_id": a["image_id"], "category_id": a["category_id"],
                                        "bbox": a["bbox"], "score": 1.0} for a in ground_truth.dataset["annotations"]])
    evaluation = COCOeval(ground_truth, detections, "bbox")
    evaluation.evaluate()
    evaluation.accumulate()
    evaluation.summarize()
    assert evaluation.stats[0] == pytest.approx(1.0)
    mask = ground_truth.annToMask(ground_truth.loadAnns(ground_truth.getAnnIds())[1])
    assert mask.shape == (H, W) and mask.sum() > 0


def test_coco_loads_in_torchvision(dataset: dict[str, Any], tmp_path: Path) -> None:
    datasets = pytest.importorskip("torchvision.datasets")
    export(dataset, "coco", tmp_path)
    coco = datasets.CocoDetection(str(tmp_path / "images"), str(tmp_path / "annotations.json"))
    assert len(coco) == 3
    image, target = coco[0]
    assert image.size == (W, H) and len(target) == 3


def test_voc_layout_boxes_and_jpegs(dataset: dict[str, Any], tmp_path: Path) -> None:
    counts = export(dataset, "voc", tmp_path)
    assert counts == {"images": 3, "objects": 4, "categories": 3}
    root = tmp_path / "VOCdevkit" / "VOC2012"
    ids = {image["id"] for key, image in dataset["images"].items() if key != "d"}
    assert {p.stem for p in (root / "JPEGImages").iterdir()} == ids
    for path in (root / "JPEGImages").iterdir():
        assert path.suffix == ".jpg"
        with Image.open(path) as img:
            assert img.format == "JPEG" and img.size == (W, H)
    main = root / "ImageSets" / "Main"
    trainval = main.joinpath("trainval.txt").read_text().split()
    assert sorted(trainval) == sorted(ids)
    assert sorted(main.joinpath("train.txt").read_text().split() + main.joinpath("val.txt").read_text().split()) \
        == sorted(ids)
    boxes = {}
    for image_id in ids:
        tree = ET.parse(root / "Annotations" / f"{image_id}.xml").getroot()
        assert tree.findtext("filename") == f"{image_id}.jpg"
        assert (tree.findtext("size/width"), tree.findtext("size/height")) == (str(W), str(H))
        boxes[image_id] = [(o.findtext("name"), *(int(o.findtext(f"bndbox/{k}")) for k in
                                                  ("xmin", "ymin", "xmax", "ymax"))) for o in tree.iter("object")]
        for obj in tree.iter("object"):
            assert obj.findtext("pose") and obj.findtext("truncated") == "0" and obj.findtext("difficult") == "0"
    images = dataset["images"]
    assert boxes[images["a"]["id"]][0] == ("dog", 11, 21, 40, 60)  # x 10..40 → 1-based inclusive 11..40
    assert boxes[images["b"]["id"]] == [("dog", 1, 1, W, H)]  # the full image is 1..W, 1..H
    assert boxes[images["c"]["id"]] == []  # an XML without objects


def test_voc_opens_in_torchvision(dataset: dict[str, Any], tmp_path: Path) -> None:
    datasets = pytest.importorskip("torchvision.datasets")
    export(dataset, "voc", tmp_path)
    voc = datasets.VOCDetection(str(tmp_path), year="2012", image_set="trainval")
    assert len(voc) == 3
    for split in ("train", "val"):
        datasets.VOCDetection(str(tmp_path), year="2012", image_set=split)
    image, target = voc[0]
    assert image.size == (W, H) and target["annotation"]["size"]["width"] == str(W)


def yolo_names(out: Path) -> list[str]:
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load((out / "data.yaml").read_text())
    assert data["train"] == "images/train" and data["val"] == "images/val" and data["nc"] == len(data["names"])
    return [data["names"][i] for i in range(len(data["names"]))]


def yolo_rows(out: Path, image: dict[str, Any]) -> list[list[float]]:
    found = list(out.glob(f"labels/*/{image['id']}.txt"))
    assert len(found) == 1 and (out / "images" / found[0].parent.name / f"{image['id']}.jpg").exists() \
        or image["format"] != "jpeg"
    return [[float(v) for v in line.split()] for line in found[0].read_text().splitlines()]


def test_yolo_boxes_match_the_original_boxes(dataset: dict[str, Any], tmp_path: Path) -> None:
    counts = export(dataset, "yolo", tmp_path)
    assert counts == {"images": 3, "rows": 4, "classes": 3}
    names = yolo_names(tmp_path)
    for image in dataset["images"].values():
        if image["id"] == dataset["images"]["d"]["id"]:
            assert not list(tmp_path.glob(f"labels/*/{image['id']}.txt"))
            continue
        rows = yolo_rows(tmp_path, image)
        expected = dataset["expected"][int(image["id"])]
        assert len(rows) == len(expected)
        for row, (label, shape) in zip(rows, expected, strict=True):
            assert len(row) == 5 and names[int(row[0])] == label
            x, y, w, h = box_of(shape)
            for got, want in zip(row[1:], ((x + w / 2) / W, (y + h / 2) / H, w / W, h / H), strict=True):
                assert abs(got - want) <= 1e-6


def test_yolo_seg_rows_are_polygons_only(dataset: dict[str, Any], tmp_path: Path) -> None:
    export(dataset, "yolo-seg", tmp_path)
    names = yolo_names(tmp_path)
    rows = yolo_rows(tmp_path, dataset["images"]["a"])
    assert [names[int(r[0])] for r in rows] == ["dog", "dog", "cat"]
    assert all(len(r) % 2 == 1 and len(r) >= 7 for r in rows)  # class + at least three points, never a 5-value box
    assert rows[1][1:] == pytest.approx([v / (W if i % 2 == 0 else H) for i, v in
                                         enumerate(c for p in POLYGON["points"] for c in p)], abs=1e-6)
    assert all(0 <= v <= 1 for r in rows for v in r[1:])
    assert len(rows[2]) == 1 + 2 * 32  # the ellipse as a 32-point polygon


def test_label_filter_and_no_images(dataset: dict[str, Any], tmp_path: Path) -> None:
    counts = export(dataset, "coco", tmp_path, labels=["cat"], copy_images=False)
    doc = json.loads((tmp_path / "annotations.json").read_text())
    assert counts["images"] == 1 and [c["name"] for c in doc["categories"]] == ["cat"]
    assert [a["category_id"] for a in doc["annotations"]] == [1]
    assert not (tmp_path / "images").exists()


def test_png_original_is_converted_for_voc(dataset: dict[str, Any], tmp_path: Path) -> None:
    png = dataset["images"]["b"]
    assert png["format"] == "png"
    export(dataset, "voc", tmp_path)
    data = (tmp_path / "VOCdevkit" / "VOC2012" / "JPEGImages" / f"{png['id']}.jpg").read_bytes()
    assert data[:3] == b"\xff\xd8\xff"
    with Image.open(io.BytesIO(data)) as img:
        assert img.mode == "RGB"
