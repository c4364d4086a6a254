"""LabelMe: each picture with its ``<id>.json`` (LabelMe 5 format: rectangles and polygons) beside it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..archive import ZipArchive
from ..geometry import polygon
from .common import WriteJob, add_image, file_name

LABELME_VERSION = "5.5.0"


def shapes(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's shapes as LabelMe shapes (a rect as ``rectangle`` corners, the rest as polygons)."""
    found = []
    for label in record["labels"]:
        for shape in label["shapes"]:
            points = polygon(shape, record["width"], record["height"])
            if shape["type"] == "rect":
                points, kind = [points[0], points[2]], "rectangle"
            else:
                kind = "polygon"
            found.append({"label": label["label"], "points": [list(p) for p in points], "group_id": None,
                          "description": "", "shape_type": kind, "flags": {}, "mask": None})
    return found


def write(job: WriteJob) -> list[Path]:
    """One zip of pictures and their LabelMe JSON files (``imageData`` null: the picture is next to it)."""
    path = job.archive_path("labelme")
    with ZipArchive(path) as archive:
        for record in job.records():
            name = file_name(record)
            add_image(archive, job, name, record)
            archive.add_bytes(f"{record['id']}.json", json.dumps({
                "version": LABELME_VERSION, "flags": {}, "shapes": shapes(record),
                "imagePath": name, "imageData": None, "imageHeight": record["height"], "imageWidth": record["width"],
            }, indent=2).encode())
    return [path]
