"""``GET /api/v1/tasks/next?kind=refine``: an unsettled property the caller has not answered, of one outlined
object (a shape, where a plugin keeps outlines) or of an image label.

The catalog's (label, property) pairs are tried in a random order. Within one, outlined objects come first: a
batch of :data:`SHAPE_BATCH` image labels from a random image id onwards (an index probe on
``image_label (label, image_id)``, never ORDER BY RANDOM()) is asked for its shapes (``outline_shapes``), and the
first shape whose property is open for the caller, on a picture the caller may see, wins. Then an image label is
found by the same kind of probe.
"""
from __future__ import annotations

import random
from typing import Any

from sqlalchemy import exists, func, select

from imagemonkey.plugin import Image, ImageLabel, image_json, outline_shapes, task_image_clause, visible_clause

from .examples import examples
from .models import Answer, Settled
from .shapes import shape_json

SHAPE_BATCH = 100
MAX_SHAPES = 500  # of one batch: an outline may hold 200 shapes


def property_pairs(request: Any, label: str | None) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(label, property, values)`` of every catalog label that declares properties (only ``label`` if given)."""
    catalog = request.registry["catalog"]
    names = [label] if label is not None else sorted(catalog.by_name)
    return [(name, prop, tuple(values)) for name in names
            for prop, values in catalog.by_name[name].properties.items()]


def _candidates(request: Any, label: str) -> Any:
    """Image labels of ``label`` on images the caller may see and every task filter accepts, by image id."""
    return (select(ImageLabel.id, ImageLabel.image_id).join(Image, Image.id == ImageLabel.image_id)
            .where(ImageLabel.label == label, visible_clause(request.contributor),
                   task_image_clause(request, ImageLabel.image_id))
            .order_by(ImageLabel.image_id))


def _pivot(request: Any, label: str) -> int | None:
    top = request.dbsession.scalar(select(func.max(ImageLabel.image_id)).where(ImageLabel.label == label))
    return None if top is None else random.randint(0, top)


def _probe(request: Any, label: str, prop: str, pivot: int) -> tuple[int, int] | None:
    """One image label of ``label`` whose ``prop`` is unsettled and unanswered by the caller, or None."""
    query = _candidates(request, label).where(
        ~exists().where(Settled.image_label_id == ImageLabel.id, Settled.shape_id == 0, Settled.property == prop),
        ~exists().where(Answer.image_label_id == ImageLabel.id, Answer.shape_id == 0, Answer.property == prop,
                        Answer.contributor_id == request.contributor.id)).limit(1)
    for bound in (ImageLabel.image_id >= pivot, ImageLabel.image_id < pivot):
        found = request.dbsession.execute(query.where(bound)).first()
        if found is not None:
            return found[0], found[1]
    return None


def _shape_probe(request: Any, label: str, prop: str, pivot: int) -> tuple[int, int, dict[str, Any]] | None:
    """``(image_label_id, image_id, shape)``: an outlined object of ``label`` in a batch of image labels from the
    pivot whose ``prop`` is unsettled and unanswered by the caller, on an image the caller may see and every task
    filter accepts, or None. The batch is read from the index alone; visibility and filters are checked only for
    image labels that have open shapes (most have no outline)."""
    for bound in (ImageLabel.image_id >= pivot, ImageLabel.image_id < pivot):
        batch = list(request.dbsession.scalars(select(ImageLabel.id).where(ImageLabel.label == label, bound)
                                               .order_by(ImageLabel.image_id).limit(SHAPE_BATCH)))
        shapes = outline_shapes(request, image_label_ids=batch)[:MAX_SHAPES]
        if not shapes:
            continue
        ids = [item["id"] for item in shapes]
        closed = set(request.dbsession.scalars(select(Settled.shape_id).where(
            Settled.shape_id.in_(ids), Settled.property == prop)))
        closed.update(request.dbsession.scalars(select(Answer.shape_id).where(
            Answer.shape_id.in_(ids), Answer.property == prop, Answer.contributor_id == request.contributor.id)))
        open_shapes = [item for item in shapes if item["id"] not in closed]
        allowed = dict(request.dbsession.execute(_candidates(request, label).where(
            ImageLabel.id.in_({item["image_label_id"] for item in open_shapes}))).all()) if open_shapes else {}
        for item in open_shapes:
            if item["image_label_id"] in allowed:
                return item["image_label_id"], allowed[item["image_label_id"]], shape_json(item)
    return None


def next_task(request: Any, label: str | None) -> dict[str, Any]:
    """The next refine question for the caller, or ``{}`` when nothing is left."""
    pairs = property_pairs(request, label)
    random.shuffle(pairs)
    for name, prop, values in pairs:
        pivot = _pivot(request, name)
        if pivot is None:
            continue
        task: dict[str, Any] = {"kind": "refine", "label": name, "property": prop, "choices": list(values),
                                "question": f"What {prop} is this {name}?"}
        outlined = _shape_probe(request, name, prop, pivot)
        if outlined is not None:
            task.update(image_label=str(outlined[0]), shape=outlined[2],
                        question=f"What {prop} is this {name} in the outline?")
            image_id = outlined[1]
        else:
            found = _probe(request, name, prop, pivot)
            if found is None:
                continue
            task["image_label"], image_id = str(found[0]), found[1]
        task["image"] = image_json(request, request.dbsession.get(Image, image_id))
        task["examples"] = examples(request, name, prop, values)
        return task
    return {}
