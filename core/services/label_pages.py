"""What the ``/labels`` pages show: catalog entries with their links, counts from ``stat_label`` and examples.

Counts come from the ``stat_label`` counter (a primary-key range per label of the page, summed over its
shards, never a scan of ``image_label``); example pictures are the newest public images carrying the
label, read along the ``(label, image_id)`` index, a few rows per label.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..models import Image, ImageLabel
from ..models.stats import StatLabel
from .serialize import images_json

PAGE_SIZE = 48


def label_summary(catalog: Any, name: str) -> dict[str, Any]:
    """One entry with its graph: parents (``is_a``), kinds of it, parts, what it is part of, scene flag."""
    label = catalog.by_name[name]
    return {"name": name, "description": label.description, "is_a": list(label.is_a),
            "part_of": list(label.part_of), "scene": label.scene, "subtypes": list(catalog.graph.subtypes[name]),
            "parts": list(catalog.graph.parts[name]), "properties": {k: list(v) for k, v in label.properties.items()},
            "aliases": list(label.aliases)}


def label_counts(dbsession: Any, names: list[str]) -> dict[str, int]:
    """Public images per label, from the counter (labels without a row have none)."""
    rows = dbsession.execute(select(StatLabel.label, func.sum(StatLabel.images)).where(StatLabel.label.in_(names))
                             .group_by(StatLabel.label))
    return {label: int(images) for label, images in rows}


def examples(request: Any, name: str, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` newest public images carrying ``name`` (the API form, thumbnails included)."""
    images = request.dbsession.scalars(
        select(Image).join(ImageLabel, ImageLabel.image_id == Image.id)
        .where(ImageLabel.label == name, Image.status == "public")
        .order_by(ImageLabel.image_id.desc()).limit(limit))
    return images_json(request, list(images))


def labels_page(request: Any, after: str | None, per_label: int = 3) -> dict[str, Any]:
    """A page of catalog labels in name order after ``after``, each with counts and examples; the next page's key."""
    catalog = request.registry["catalog"]
    names = sorted(name for name in catalog.by_name if after is None or name > after)
    page, more = names[:PAGE_SIZE], len(names) > PAGE_SIZE
    counts = label_counts(request.dbsession, page)
    labels = [{**label_summary(catalog, name), "images": counts.get(name, 0),
               "examples": examples(request, name, per_label) if counts.get(name) else []} for name in page]
    return {"labels": labels, "next": page[-1] if more and page else None, "total": len(catalog.by_name)}


def label_page(request: Any, name: str, per_label: int = 12) -> dict[str, Any]:
    """One label: its graph, its count and its examples."""
    count = label_counts(request.dbsession, [name]).get(name, 0)
    return {**label_summary(request.registry["catalog"], name), "images": count,
            "examples": examples(request, name, per_label) if count else []}
