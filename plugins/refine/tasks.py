"""``GET /api/v1/tasks/next?kind=refine``: an unsettled property of an image label the caller has not answered.

The catalog's (label, property) pairs are tried in a random order; within one, an image label is found by an index
probe on ``image_label (label, image_id)`` from a random image id onwards (wrapping round), never ORDER BY RANDOM().
"""
from __future__ import annotations

import random
from typing import Any

from sqlalchemy import exists, func, select

from imagemonkey.plugin import Image, ImageLabel, image_json, task_image_clause, visible_clause

from .models import Answer, Settled


def property_pairs(request: Any, label: str | None) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(label, property, values)`` of every catalog label that declares properties (only ``label`` if given)."""
    catalog = request.registry["catalog"]
    names = [label] if label is not None else sorted(catalog.by_name)
    return [(name, prop, tuple(values)) for name in names
            for prop, values in catalog.by_name[name].properties.items()]


def _probe(request: Any, label: str, prop: str) -> tuple[int, int] | None:
    """One image label of ``label`` whose ``prop`` is unsettled and unanswered by the caller, or None."""
    top = request.dbsession.scalar(select(func.max(ImageLabel.image_id)).where(ImageLabel.label == label))
    if top is None:
        return None
    pivot = random.randint(0, top)
    query = (select(ImageLabel.id, ImageLabel.image_id).join(Image, Image.id == ImageLabel.image_id)
             .where(ImageLabel.label == label, visible_clause(request.contributor),
                    task_image_clause(request, ImageLabel.image_id),
                    ~exists().where(Settled.image_label_id == ImageLabel.id, Settled.property == prop),
                    ~exists().where(Answer.image_label_id == ImageLabel.id, Answer.property == prop,
                                    Answer.contributor_id == request.contributor.id))
             .order_by(ImageLabel.image_id).limit(1))
    for bound in (ImageLabel.image_id >= pivot, ImageLabel.image_id < pivot):
        found = request.dbsession.execute(query.where(bound)).first()
        if found is not None:
            return found[0], found[1]
    return None


def next_task(request: Any, label: str | None) -> dict[str, Any]:
    """The next refine question for the caller, or ``{}`` when nothing is left."""
    pairs = property_pairs(request, label)
    random.shuffle(pairs)
    for name, prop, values in pairs:
        found = _probe(request, name, prop)
        if found is not None:
            image = request.dbsession.get(Image, found[1])
            return {"kind": "refine", "image": image_json(request, image), "image_label": str(found[0]),
                    "label": name, "property": prop, "choices": list(values)}
    return {}
