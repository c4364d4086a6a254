"""Hugging Face ``imagefolder``: ``train/<id>.<ext>`` with ``train/metadata.jsonl`` (labels and boxes)."""
from __future__ import annotations

import json
from pathlib import Path

from ..archive import ZipArchive
from ..geometry import instances
from .common import WriteJob, add_image, add_spool, file_name, spool


def write(job: WriteJob) -> list[Path]:
    """Each metadata line: ``file_name``, ``image_id``, ``sha256``, ``labels`` and ``objects`` (COCO-style
    ``bbox`` ``[x, y, w, h]`` with its ``category``), the layout ``datasets.load_dataset("imagefolder")`` reads."""
    path = job.archive_path("imagefolder")
    with ZipArchive(path) as archive, spool(job) as metadata:
        for record in job.records():
            name = file_name(record)
            add_image(archive, job, f"train/{name}", record)
            found = instances(record)
            metadata.write(json.dumps({
                "file_name": name, "image_id": record["id"], "width": record["width"], "height": record["height"],
                "sha256": record["sha256"],
                "labels": [label["label"] for label in record["labels"]],
                "objects": {"bbox": [[x0, y0, round(x1 - x0, 3), round(y1 - y0, 3)]
                                     for _label, _points, (x0, y0, x1, y1) in found],
                            "category": [label for label, _points, _box in found]},
            }, separators=(",", ":")) + "\n")
        add_spool(archive, "train/metadata.jsonl", metadata)
    return [path]
