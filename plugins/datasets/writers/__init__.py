"""One writer per archive format; each reads the snapshot and the image blobs and writes deterministic archives.

A writer is ``write(job: WriteJob) -> list[Path]`` (the archives it made, in ``job.work_dir``).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import coco, imagefolder, labelme, voc, webdataset, yolo
from .common import WriteJob

WRITERS: dict[str, Callable[[WriteJob], list[Path]]] = {
    "coco": coco.write, "voc": voc.write, "yolo": yolo.write, "imagefolder": imagefolder.write,
    "webdataset": webdataset.write, "labelme": labelme.write,
}

__all__ = ["WRITERS", "WriteJob"]
