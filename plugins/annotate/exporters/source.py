"""What every annotate exporter reads: images with their annotated labels, in batches, and geometry helpers.

An image is exported when at least one of its exported labels has an annotation. With the
validate plugin enabled only verified image labels are exported, unless the setting
``annotate.export_unverified`` is true.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select

from imagemonkey.plugin import ExportContext, Image, get_setting

from .. import bridge
from ..models import Annotation, Revision

ELLIPSE_POINTS = 32


@dataclass
class Instance:
    """One shape of one label, in image pixels, clipped to the image."""

    label: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    polygon: list[tuple[float, float]]
    area: float
    attributes: dict[str, str] = field(default_factory=dict)  # the image label's, then the shape's own over them


def categories(ctx: ExportContext) -> list[str]:
    """The exported label names in a stable order (category ``i`` has id ``i + 1``, YOLO class ``i``)."""
    if ctx.labels:
        return list(dict.fromkeys(ctx.labels))
    query = select(Annotation.label).distinct().order_by(Annotation.label)
    return list(ctx.request.dbsession.scalars(query))


UNIT_CIRCLE = [(math.cos(2 * math.pi * i / ELLIPSE_POINTS), math.sin(2 * math.pi * i / ELLIPSE_POINTS))
               for i in range(ELLIPSE_POINTS)]
#: The area of the ELLIPSE_POINTS-gon inscribed in an ellipse, as a fraction of rx * ry.
ELLIPSE_POLYGON_AREA = ELLIPSE_POINTS * math.sin(2 * math.pi / ELLIPSE_POINTS) / 2


def _polygon_of(shape: dict[str, Any]) -> list[tuple[float, float]]:
    if shape["type"] == "rect":
        x, y, w, h = shape["x"], shape["y"], shape["width"], shape["height"]
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    if shape["type"] == "ellipse":
        cx, cy, rx, ry = shape["cx"], shape["cy"], shape["rx"], shape["ry"]
        return [(round(cx + rx * c, 3), round(cy + ry * s, 3)) for c, s in UNIT_CIRCLE]
    return [(x, y) for x, y in shape["points"]]


def _area(points: list[tuple[float, float]]) -> float:
    total = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))
    return abs(total) / 2.0


def instance(label: str, shape: dict[str, Any], width: int, height: int,
             attributes: dict[str, str] | None = None) -> Instance:
    """A shape as an export instance: its polygon and box (clipped to the image) and its area."""
    polygon = _polygon_of(shape)
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    box = (min(xs), min(ys), max(xs), max(ys))
    clipped = box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height
    if clipped:
        polygon = [(min(max(x, 0.0), width), min(max(y, 0.0), height)) for x, y in polygon]
        box = (max(box[0], 0.0), max(box[1], 0.0), min(box[2], width), min(box[3], height))
    if shape["type"] == "rect":
        area = (box[2] - box[0]) * (box[3] - box[1])
    elif shape["type"] == "ellipse" and not clipped:
        area = ELLIPSE_POLYGON_AREA * shape["rx"] * shape["ry"]
    else:
        area = _area(polygon)
    return Instance(label=label, box=box, polygon=polygon, area=area, attributes=attributes or {})


def _exported_label_ids(ctx: ExportContext, label_ids: list[int]) -> set[int]:
    registry = ctx.request.registry
    if ctx.include_unverified or not bridge.validate_enabled(registry) or \
            get_setting(registry, "annotate.export_unverified"):
        return set(label_ids)
    return bridge.verified_ids(ctx.request, label_ids)


def annotated_images(ctx: ExportContext, wanted: set[str]) -> Iterator[tuple[Image, list[Instance]]]:
    """Each exported image with its instances, streaming in the context's batches."""
    dbsession = ctx.request.dbsession
    for batch in ctx.batches():
        labels = ctx.labels_of(batch)
        ids = [il.id for found in labels.values() for il in found if il.label in wanted]
        exported = _exported_label_ids(ctx, ids)
        if len(exported) < len(ids):
            outlined = set(dbsession.scalars(select(Annotation.image_label_id).where(
                Annotation.image_label_id.in_([i for i in ids if i not in exported]))))
            ctx.leave_out("unverified", len(outlined))  # outlined, but their labels are not verified
        by_image: dict[int, list[tuple[str, list[tuple[int, dict[str, Any]]], int]]] = {}
        if exported:
            rows = dbsession.execute(select(Annotation.image_id, Annotation.label, Annotation.shapes,
                                            Annotation.image_label_id, Revision.shape_ids)
                                     .join(Revision, and_(Revision.annotation_id == Annotation.id,
                                                          Revision.revision == Annotation.revision))
                                     .where(Annotation.image_label_id.in_(list(exported)))
                                     .order_by(Annotation.image_id, Annotation.id))
            for image_id, label, shapes, image_label_id, shape_ids in rows:
                pairs = list(zip(json.loads(shape_ids), json.loads(shapes), strict=True))
                by_image.setdefault(image_id, []).append((label, pairs, image_label_id))
        attributes = ctx.attributes_of(list(exported))
        of_shapes = ctx.shape_attributes_of([shape_id for found in by_image.values() for _, pairs, _ in found
                                             for shape_id, _ in pairs])
        for image in batch:
            if image.id in by_image:
                yield image, [instance(label, shape, image.width, image.height,
                                       {**attributes.get(image_label_id, {}), **of_shapes.get(shape_id, {})})
                              for label, pairs, image_label_id in by_image[image.id] for shape_id, shape in pairs]
        ctx.advance(len(batch))


def split_of(image: Image) -> str:
    """A stable train/val split: every tenth image (by id) is in ``val``."""
    return "val" if image.id % 10 == 0 else "train"
