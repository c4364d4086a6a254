"""Pascal VOC: ``VOCdevkit/VOC2012/{Annotations,JPEGImages,ImageSets/Main}`` as torchvision reads it.

Boxes are 1-based inclusive integers (a box over the full width is 1..W). Every exported
image gets an XML, also one without objects. Originals that are not JPEG are converted.
"""
from __future__ import annotations

import io
import math
from contextlib import ExitStack
from pathlib import Path
from xml.etree import ElementTree as ET

from PIL import Image as PILImage

from imagemonkey.plugin import ExportContext, Exporter

from .source import Instance, annotated_images, categories, split_of

ROOT = Path("VOCdevkit") / "VOC2012"
JPEG_QUALITY = 95


def voc_box(box: tuple[float, float, float, float], width: int, height: int) -> tuple[int, int, int, int]:
    """Pixel box (x0, y0, x1, y1) to VOC's 1-based inclusive integers, inside 1..W and 1..H."""
    x0, y0, x1, y1 = box
    xmin = min(max(math.floor(x0) + 1, 1), width)
    ymin = min(max(math.floor(y0) + 1, 1), height)
    return xmin, ymin, max(min(math.ceil(x1), width), xmin), max(min(math.ceil(y1), height), ymin)


def _text(parent: ET.Element, tag: str, value: object) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = str(value)
    return child


def annotation_xml(file_name: str, width: int, height: int, instances: list[Instance]) -> bytes:
    """One image's VOC XML."""
    root = ET.Element("annotation")
    _text(root, "folder", "VOC2012")
    _text(root, "filename", file_name)
    source = ET.SubElement(root, "source")
    _text(source, "database", "ImageMonkey")
    size = ET.SubElement(root, "size")
    for tag, value in (("width", width), ("height", height), ("depth", 3)):
        _text(size, tag, value)
    _text(root, "segmented", 0)
    for item in instances:
        obj = ET.SubElement(root, "object")
        _text(obj, "name", item.label)
        _text(obj, "pose", "Unspecified")
        _text(obj, "truncated", 0)
        _text(obj, "difficult", 0)
        box = ET.SubElement(obj, "bndbox")
        for tag, value in zip(("xmin", "ymin", "xmax", "ymax"), voc_box(item.box, width, height), strict=True):
            _text(box, tag, value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def as_jpeg(data: bytes) -> bytes:
    """Any stored original re-encoded as an RGB JPEG (transparency over white)."""
    with PILImage.open(io.BytesIO(data)) as img:
        img = img.convert("RGBA")
        canvas = PILImage.new("RGB", img.size, (255, 255, 255))
        canvas.paste(img, mask=img.getchannel("A"))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


class VocExporter(Exporter):
    """Pascal VOC 2012 layout; splits ``train`` / ``val`` / ``trainval`` in ImageSets/Main."""

    name = "voc"
    description = "Pascal VOC (VOCdevkit/VOC2012) with JPEG images; opens with torchvision VOCDetection"

    def export(self, ctx: ExportContext) -> dict[str, int]:
        names = categories(ctx)
        for folder in ("Annotations", "JPEGImages", "ImageSets/Main"):
            (ctx.out_dir / ROOT / folder).mkdir(parents=True, exist_ok=True)
        images = objects = 0
        with ExitStack() as stack:
            sets = {name: stack.enter_context(open(ctx.out_dir / ROOT / "ImageSets" / "Main" / f"{name}.txt", "w"))
                    for name in ("train", "val", "trainval")}
            for image, instances in annotated_images(ctx, set(names)):
                stem = str(image.id)
                self._write_image(ctx, image, stem)
                (ctx.out_dir / ROOT / "Annotations" / f"{stem}.xml").write_bytes(
                    annotation_xml(f"{stem}.jpg", image.width, image.height, instances))
                sets[split_of(image)].write(stem + "\n")
                sets["trainval"].write(stem + "\n")
                images += 1
                objects += len(instances)
        return {"images": images, "objects": objects, "categories": len(names)}

    @staticmethod
    def _write_image(ctx: ExportContext, image: object, stem: str) -> None:
        if not ctx.copy_images:
            return
        if image.format == "jpeg":
            ctx.add_image(image, folder=str(ROOT / "JPEGImages"))
        else:
            (ctx.out_dir / ROOT / "JPEGImages" / f"{stem}.jpg").write_bytes(as_jpeg(ctx.image_bytes(image)))
