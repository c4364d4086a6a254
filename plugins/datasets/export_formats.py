"""Exporters the datasets plugin adds (``imagemonkey export --format``, ``GET /api/v1/export?format=``):
``webdataset`` and ``labelme``, laid out like the release archives of the same names.

Each image becomes the record a release snapshot holds (``snapshot._record``: the labels kept by the
trust rule with their shapes), read batch by batch through the exporter context, so memory stays flat.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from imagemonkey.plugin import ExportContext, Exporter, get_setting, hookimpl, image_labels_json

from .geometry import instances
from .snapshot import _record, object_attributes, shape_attributes
from .writers.labelme import LABELME_VERSION, shapes


def records(ctx: ExportContext) -> Iterator[tuple[Any, dict[str, Any]]]:
    """``(image, record)`` for every exported image, in id order; labels left out are counted by state."""
    for batch in ctx.batches(get_setting(ctx.request.registry, "datasets.batch_images")):
        found = ctx.labels_of(batch)
        flat = [image_label for image in batch for image_label in found[image.id]]
        by_image: dict[int, list[dict[str, Any]]] = {}
        for image_label, document in zip(flat, image_labels_json(ctx.request, flat), strict=True):
            by_image.setdefault(image_label.image_id, []).append(document)
        attributes = ctx.attributes_of([image_label.id for image_label in flat])
        per_shape = shape_attributes(ctx.request, [image_label.id for image_label in flat])
        for image in batch:
            record = _record(image, by_image.get(image.id, []), ctx.include_unverified, attributes, per_shape)
            for left_out in record["left_out"]:
                ctx.leave_out(left_out["state"], 1)
            yield image, record
        ctx.advance(len(batch))


def _dump(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


class WebDatasetExporter(Exporter):
    """Samples ``<id>.<ext>`` + ``<id>.json``; streamed over HTTP, the export tar is one WebDataset shard."""

    name = "webdataset"
    description = ("WebDataset samples <id>.jpg + <id>.json (labels, attributes, boxes, polygons); tar the folder "
                   "for a shard")

    def export(self, ctx: ExportContext) -> dict[str, int]:
        count = 0
        for image, record in records(ctx):
            ctx.add_image(image, folder="")
            ctx.add_bytes(f"{image.id}.json", _dump({
                "image_id": record["id"], "sha256": record["sha256"], "width": record["width"],
                "height": record["height"], "labels": [label["label"] for label in record["labels"]],
                "attributes": {label["label"]: label["attributes"] for label in record["labels"]
                               if "attributes" in label},
                "objects": [{"label": label, "bbox": list(box), "polygon": [list(p) for p in points],
                             "attributes": attributes}
                            for (label, points, box), attributes in zip(instances(record), object_attributes(record),
                                                                        strict=True)]}))
            count += 1
        return {"images": count}


class LabelMeExporter(Exporter):
    """Each picture with its LabelMe 5 ``<id>.json`` (rectangles and polygons, ``imageData`` null) beside it."""

    name = "labelme"
    description = "LabelMe 5 JSON (<id>.json) next to each picture (<id>.jpg)"

    def export(self, ctx: ExportContext) -> dict[str, int]:
        count = 0
        for image, record in records(ctx):
            path = ctx.add_image(image, folder="")
            ctx.add_bytes(f"{image.id}.json", json.dumps({
                "version": LABELME_VERSION, "flags": {}, "shapes": shapes(record), "imagePath": path,
                "imageData": None, "imageHeight": record["height"], "imageWidth": record["width"]},
                indent=2).encode())
            count += 1
        return {"images": count}


@hookimpl
def imagemonkey_exporters() -> list[Exporter]:
    """``webdataset`` and ``labelme``."""
    return [WebDatasetExporter(), LabelMeExporter()]
