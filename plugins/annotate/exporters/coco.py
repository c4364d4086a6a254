"""COCO detection JSON (``annotations.json``) with the images under ``images/``, written as a stream.

The ``images`` array is written while reading the database; annotations go to a temporary
file at the same time and are appended afterwards, so memory does not grow with the dataset.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from datetime import UTC, datetime
from typing import IO, Any

from imagemonkey.plugin import ExportContext, Exporter, get_setting

from .source import annotated_images, categories


def _round(value: float) -> float:
    return round(value, 3)


def _write_item(out: IO[str], first: bool, document: dict[str, Any]) -> None:
    out.write(("" if first else ",\n") + json.dumps(document, separators=(",", ":")))


class CocoExporter(Exporter):
    """COCO: boxes for every shape, polygons as segmentation (rectangles and ellipses as polygons too), and the image
    label's attributes (``{"color": "brown"}``, CVAT's place for them, with an outlined object's own over them) on each
    of its annotations."""

    name = "coco"
    description = "COCO detection JSON (annotations.json) with images/; reads with pycocotools and torchvision"

    def export(self, ctx: ExportContext) -> dict[str, int]:
        names = categories(ctx)
        category_ids = {name: i + 1 for i, name in enumerate(names)}
        registry = ctx.request.registry
        header = {
            "info": {"description": f"{get_setting(registry, 'imagemonkey.name')} annotations",
                     "version": "1.0", "year": datetime.now(UTC).year, "contributor": "ImageMonkey",
                     "url": "", "date_created": datetime.now(UTC).isoformat()},
            "licenses": [{"id": 1, "name": get_setting(registry, "annotate.license_name"),
                          "url": get_setting(registry, "annotate.license_url")}],
            "categories": [{"id": category_ids[name], "name": name, "supercategory": name.split("/")[0]}
                           for name in names],
        }
        images = annotations = 0
        path = ctx.out_dir / "annotations.json"
        with open(path, "w", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
            out.write(json.dumps(header)[:-1] + ', "images": [\n')
            for image, instances in annotated_images(ctx, set(names)):
                file_name = ctx.add_image(image, folder="images").split("/", 1)[1]
                _write_item(out, images == 0, {"id": image.id, "file_name": file_name, "width": image.width,
                                               "height": image.height, "license": 1})
                images += 1
                for item in instances:
                    x0, y0, x1, y1 = item.box
                    annotations += 1
                    _write_item(spool, annotations == 1, {
                        "id": annotations, "image_id": image.id, "category_id": category_ids[item.label],
                        "bbox": [_round(x0), _round(y0), _round(x1 - x0), _round(y1 - y0)],
                        "area": _round(item.area), "iscrowd": 0,
                        "segmentation": [[v for point in item.polygon for v in point]],
                        "attributes": item.attributes})
            out.write('\n], "annotations": [\n')
            spool.seek(0)
            shutil.copyfileobj(spool, out)
            out.write("\n]}\n")
        return {"images": images, "annotations": annotations, "categories": len(names)}
