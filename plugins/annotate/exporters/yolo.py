"""YOLO: ``data.yaml`` with the class names next to ``images/{train,val}`` and ``labels/{train,val}``.

``yolo`` writes box rows (``class cx cy w h``), ``yolo-seg`` polygon rows (``class x1 y1 x2 y2 ...``);
never both in one file. Coordinates are normalized to 0..1 and class ids start at 0.
"""
from __future__ import annotations

import json

from imagemonkey.plugin import ExportContext, Exporter

from .source import Instance, annotated_images, categories, split_of


def box_row(class_id: int, item: Instance, width: int, height: int) -> str:
    """``class cx cy w h`` normalized to the image size."""
    x0, y0, x1, y1 = item.box
    values = ((x0 + x1) / 2 / width, (y0 + y1) / 2 / height, (x1 - x0) / width, (y1 - y0) / height)
    return " ".join([str(class_id), *(f"{v:.8f}" for v in values)])


def segment_row(class_id: int, item: Instance, width: int, height: int) -> str:
    """``class x1 y1 x2 y2 ...`` normalized to the image size."""
    return " ".join([str(class_id), *(f"{v:.8f}" for x, y in item.polygon for v in (x / width, y / height))])


class YoloExporter(Exporter):
    """YOLO detection: one box row per shape (the box around a polygon or ellipse)."""

    name = "yolo"
    description = "YOLO detection (data.yaml, images/, labels/): box rows"
    row = staticmethod(box_row)

    def export(self, ctx: ExportContext) -> dict[str, int]:
        names = categories(ctx)
        class_ids = {name: i for i, name in enumerate(names)}
        for split in ("train", "val"):
            (ctx.out_dir / "labels" / split).mkdir(parents=True, exist_ok=True)
            (ctx.out_dir / "images" / split).mkdir(parents=True, exist_ok=True)
        images = rows = 0
        for image, instances in annotated_images(ctx, set(names)):
            split = split_of(image)
            relative = ctx.add_image(image, folder=f"images/{split}")
            stem = relative.rsplit("/", 1)[1].rsplit(".", 1)[0]
            lines = [self.row(class_ids[item.label], item, image.width, image.height) for item in instances]
            (ctx.out_dir / "labels" / split / f"{stem}.txt").write_text("".join(line + "\n" for line in lines))
            images += 1
            rows += len(lines)
        yaml = ["# written by ImageMonkey", "train: images/train", "val: images/val", f"nc: {len(names)}",
                "names:", *(f"  {i}: {json.dumps(name)}" for i, name in enumerate(names))]
        (ctx.out_dir / "data.yaml").write_text("\n".join(yaml) + "\n", encoding="utf-8")
        return {"images": images, "rows": rows, "classes": len(names)}


class YoloSegExporter(YoloExporter):
    """YOLO segmentation: one polygon row per shape (rectangles and ellipses as polygons)."""

    name = "yolo-seg"
    description = "YOLO segmentation (data.yaml, images/, labels/): polygon rows"
    row = staticmethod(segment_row)
