"""Outlined objects (shapes) as refine subjects: found through ``outline_shapes`` (annotate keeps them)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import Image, ImageLabel, can_see, not_found, outline_shapes, parse_id


def shape_json(item: dict[str, Any]) -> dict[str, Any]:
    """A shape as refine shows it: ``{"id": "12", "type": "rect", ...geometry}``."""
    return {**item["shape"], "id": str(item["id"])}


def visible_shape(request: Any, raw_id: str) -> tuple[ImageLabel, dict[str, Any]]:
    """The image label and shape ``raw_id`` when it is in a current outline the caller may see; 404 otherwise
    (also when no enabled plugin keeps outlines)."""
    shape_id = parse_id(raw_id, "shape")
    found = [item for item in outline_shapes(request, shape_ids=[shape_id]) if item["id"] == shape_id]
    if not found:
        raise not_found("shape")
    row = request.dbsession.execute(select(ImageLabel, Image).join(Image, Image.id == ImageLabel.image_id)
                                    .where(ImageLabel.id == found[0]["image_label_id"])).first()
    if row is None or not can_see(request.contributor, row[1]):
        raise not_found("shape")
    return row[0], shape_json(found[0])
