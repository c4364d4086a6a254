"""Annotate's answer to ``imagemonkey_outline_shapes``: the shapes of current outlines with their ids.

A shape's id is its :class:`~.models.Shape` row, which every revision holding the same shape shares; the current
outline of an image label is its annotation's current revision (``Annotation.shapes`` is a copy of it, in the
order of ``Revision.shape_ids``).
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, or_, select

from .models import Annotation, Revision, Shape


def current_shapes(dbsession: Any, image_label_ids: list[int], shape_ids: list[int]) -> list[dict[str, Any]]:
    """``[{"id", "image_label_id", "shape"}]``: every current shape of these image labels, and those of
    ``shape_ids`` that are in a current outline (one query on the annotations' current revisions)."""
    conditions = []
    if image_label_ids:
        conditions.append(Annotation.image_label_id.in_(image_label_ids))
    if shape_ids:
        conditions.append(Annotation.id.in_(select(Shape.annotation_id).where(Shape.id.in_(shape_ids))))
    if not conditions:
        return []
    rows = dbsession.execute(
        select(Annotation.image_label_id, Annotation.shapes, Revision.shape_ids)
        .join(Revision, and_(Revision.annotation_id == Annotation.id, Revision.revision == Annotation.revision))
        .where(or_(*conditions)).order_by(Annotation.id))
    wanted_labels, wanted_shapes = set(image_label_ids), set(shape_ids)
    found = []
    for image_label_id, shapes, ids in rows:
        for shape_id, shape in zip(json.loads(ids), json.loads(shapes), strict=True):
            if image_label_id in wanted_labels or shape_id in wanted_shapes:
                found.append({"id": shape_id, "image_label_id": image_label_id, "shape": shape})
    return found
