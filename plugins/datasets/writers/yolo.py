"""YOLO detection: ``data.yaml``, ``images/{train,val}/`` and one ``labels/{train,val}/<id>.txt`` per image."""
from __future__ import annotations

import json
from pathlib import Path

from ..archive import ZipArchive
from ..geometry import instances
from .common import WriteJob, add_image, file_name, split_of


def write(job: WriteJob) -> list[Path]:
    """Rows ``class cx cy w h`` normalised to 0..1; an image without outlines gets an empty label file."""
    path = job.archive_path("yolo")
    class_ids = job.class_ids()
    with ZipArchive(path) as archive:
        names = [f"  {i}: {json.dumps(name)}" for name, i in class_ids.items()]
        archive.add_bytes("data.yaml", "\n".join(["# ImageMonkey", "path: .", "train: images/train",
                                                  "val: images/val", f"nc: {len(class_ids)}", "names:",
                                                  *names]).encode() + b"\n")
        for record in job.records():
            split, width, height = split_of(record), record["width"], record["height"]
            add_image(archive, job, f"images/{split}/{file_name(record)}", record)
            rows = []
            for label, _points, (x0, y0, x1, y1) in instances(record):
                values = ((x0 + x1) / 2 / width, (y0 + y1) / 2 / height, (x1 - x0) / width, (y1 - y0) / height)
                rows.append(" ".join([str(class_ids[label]), *(f"{v:.6f}" for v in values)]) + "\n")
            archive.add_bytes(f"labels/{split}/{record['id']}.txt", "".join(rows).encode())
    return [path]
