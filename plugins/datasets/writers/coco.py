"""COCO detection: ``annotations.json`` (images, categories, boxes, polygons and the labels' attributes) and
``images/``."""
from __future__ import annotations

import json
from pathlib import Path

from ..archive import ZipArchive
from ..geometry import area, instances
from ..snapshot import object_attributes
from .common import WriteJob, add_image, add_spool, file_name, spool


def write(job: WriteJob) -> list[Path]:
    """One zip: ``annotations.json`` at the top (pycocotools reads it as is), pictures under ``images/``."""
    path = job.archive_path("coco")
    categories = [{"id": i + 1, "name": name, "supercategory": name.split("/")[0]}
                  for i, name in enumerate(job.summary.categories)]
    category_ids = {item["name"]: item["id"] for item in categories}
    with ZipArchive(path) as archive, spool(job) as images, spool(job) as annotations:
        count = 0
        for record in job.records():
            name = file_name(record)
            add_image(archive, job, f"images/{name}", record)
            images.write(("," if images.tell() else "") + json.dumps(
                {"id": record["id"], "file_name": name, "width": record["width"], "height": record["height"],
                 "license": 1}, separators=(",", ":")) + "\n")
            for (label, points, (x0, y0, x1, y1)), attributes in zip(instances(record), object_attributes(record),
                                                                     strict=True):
                count += 1
                annotations.write(("," if count > 1 else "") + json.dumps(
                    {"id": count, "image_id": record["id"], "category_id": category_ids[label],
                     "bbox": [x0, y0, round(x1 - x0, 3), round(y1 - y0, 3)], "area": area(points), "iscrowd": 0,
                     "segmentation": [[v for point in points for v in point]], "attributes": attributes},
                    separators=(",", ":")) + "\n")
        with spool(job) as document:
            document.write(json.dumps({"info": {"description": "ImageMonkey", "url": "https://imagemonkey.io"},
                                       "licenses": [{"id": 1, "name": job.license, "url": ""}],
                                       "categories": categories})[:-1])
            for key, part in (("images", images), ("annotations", annotations)):
                document.write(f',"{key}":[\n')
                part.seek(0)
                for line in part:
                    document.write(line)
                document.write("]")
            document.write("}\n")
            add_spool(archive, "annotations.json", document)
    return [path]
