"""Pascal VOC 2012: ``VOCdevkit/VOC2012/{Annotations,JPEGImages,ImageSets/Main}`` as torchvision reads it."""
from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from PIL import Image as PILImage

from ..archive import ZipArchive
from ..geometry import Box, instances
from .common import WriteJob, add_image, add_spool, split_of, spool

ROOT = "VOCdevkit/VOC2012"


def voc_box(box: Box, width: int, height: int) -> tuple[int, int, int, int]:
    """A pixel box as VOC's 1-based inclusive integers, inside 1..W and 1..H."""
    x0, y0, x1, y1 = box
    xmin = min(max(math.floor(x0) + 1, 1), width)
    ymin = min(max(math.floor(y0) + 1, 1), height)
    return xmin, ymin, max(min(math.ceil(x1), width), xmin), max(min(math.ceil(y1), height), ymin)


def _text(parent: ET.Element, tag: str, value: object) -> None:
    ET.SubElement(parent, tag).text = str(value)


def annotation_xml(record: dict[str, Any]) -> bytes:
    """One image's VOC XML."""
    root = ET.Element("annotation")
    _text(root, "folder", "VOC2012")
    _text(root, "filename", f"{record['id']}.jpg")
    _text(ET.SubElement(root, "source"), "database", "ImageMonkey")
    size = ET.SubElement(root, "size")
    for tag, value in (("width", record["width"]), ("height", record["height"]), ("depth", 3)):
        _text(size, tag, value)
    _text(root, "segmented", 0)
    for label, _points, box in instances(record):
        obj = ET.SubElement(root, "object")
        for tag, value in (("name", label), ("pose", "Unspecified"), ("truncated", 0), ("difficult", 0)):
            _text(obj, tag, value)
        bndbox = ET.SubElement(obj, "bndbox")
        for tag, value in zip(("xmin", "ymin", "xmax", "ymax"), voc_box(box, record["width"], record["height"]),
                              strict=True):
            _text(bndbox, tag, value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def as_jpeg(data: bytes) -> bytes:
    """A picture that is not JPEG re-encoded as an RGB JPEG (transparency over white); deterministic."""
    with PILImage.open(io.BytesIO(data)) as img:
        img = img.convert("RGBA")
        canvas = PILImage.new("RGB", img.size, (255, 255, 255))
        canvas.paste(img, mask=img.getchannel("A"))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=95)
    return out.getvalue()


def write(job: WriteJob) -> list[Path]:
    """One zip with every image's XML (also those without objects) and the train/val/trainval lists."""
    path = job.archive_path("voc")
    with ZipArchive(path) as archive, spool(job) as train, spool(job) as val:
        for record in job.records():
            stem = str(record["id"])
            name = f"{ROOT}/JPEGImages/{stem}.jpg"
            if record["format"] == "jpeg":
                add_image(archive, job, name, record)
            else:
                archive.add_bytes(name, as_jpeg(job.store.get(record["sha256"])))
            archive.add_bytes(f"{ROOT}/Annotations/{stem}.xml", annotation_xml(record))
            (val if split_of(record) == "val" else train).write(stem + "\n")
        add_spool(archive, f"{ROOT}/ImageSets/Main/train.txt", train)
        add_spool(archive, f"{ROOT}/ImageSets/Main/val.txt", val)
        with spool(job) as both:
            for part in (train, val):
                part.seek(0)
                both.writelines(part)
            add_spool(archive, f"{ROOT}/ImageSets/Main/trainval.txt", both)
    return [path]
