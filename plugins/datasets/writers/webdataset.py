"""WebDataset: tar shards of ``<key>.<ext>`` (the picture) and ``<key>.json`` (labels and shapes) per sample."""
from __future__ import annotations

import json
from pathlib import Path

from ..archive import TarArchive
from ..geometry import instances
from .common import EXTENSIONS, WriteJob, add_image


def write(job: WriteJob) -> list[Path]:
    """Shards of ``job.shard_images`` samples: ``webdataset-r1-000000.tar``, ... (at least one shard)."""
    paths: list[Path] = []
    archive: TarArchive | None = None
    count = 0
    try:
        for record in job.records():
            if archive is None or count % job.shard_images == 0:
                if archive is not None:
                    archive.close()
                paths.append(job.archive_path(f"webdataset-{len(paths):06d}",
                                              ".tar"))
                archive = TarArchive(paths[-1])
            key = f"{record['id']:09d}"
            add_image(archive, job, f"{key}.{EXTENSIONS.get(record['format'], record['format'])}", record)
            archive.add_bytes(f"{key}.json", json.dumps({
                "image_id": record["id"], "sha256": record["sha256"], "width": record["width"],
                "height": record["height"], "labels": [label["label"] for label in record["labels"]],
                "objects": [{"label": label, "bbox": list(box), "polygon": [list(p) for p in points]}
                            for label, points, box in instances(record)],
            }, sort_keys=True, separators=(",", ":")).encode())
            count += 1
        if archive is None:
            paths.append(job.archive_path("webdataset-000000", ".tar"))
            archive = TarArchive(paths[-1])
    finally:
        if archive is not None:
            archive.close()
    return paths
