"""Annotate task candidates: one row per image label, picked from a random pivot along an index.

A candidate is open while it has no shapes and fewer than :data:`NOT_ANNOTATABLE_LIMIT`
contributors said it cannot be annotated (``done`` is false). With the validate plugin
enabled only ``eligible`` (verified) candidates are offered. Scene labels (whole-picture labels
such as ``night``) get no candidate row, and are left out when picking in case the catalog made a
label a scene label after its rows were written.
"""
from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select, update

from imagemonkey.plugin import Image, ImageLabel, catalog_label, task_image_clause

from . import bridge
from .models import Annotation, Candidate, Skip

NOT_ANNOTATABLE_LIMIT = 3
KEY_RANGE = 2**31 - 1
BATCH = 32
MAX_PROBES = 8


def scene_labels(registry: Any) -> frozenset[str]:
    """The catalog's scene labels (computed once per app)."""
    found = registry.get("annotate.scene_labels")
    if found is None:
        catalog = registry["catalog"]
        found = registry["annotate.scene_labels"] = frozenset(
            name for name in catalog.by_name if catalog_label(registry, name).scene)
    return found


def add(request: Any, image_labels: list[ImageLabel]) -> None:
    """Candidate rows for new image labels (not yet verified, not done); none for scene labels."""
    dbsession = request.dbsession
    scenes = scene_labels(request.registry)
    for image_label in image_labels:
        if image_label.label in scenes:
            continue
        if dbsession.get(Candidate, image_label.id) is None:
            dbsession.add(Candidate(image_label_id=image_label.id, image_id=image_label.image_id,
                                    label=image_label.label, eligible=False, done=False, not_annotatable_count=0,
                                    random_key=random.randint(0, KEY_RANGE)))


def set_eligible(request: Any, image_label_id: int, eligible: bool) -> None:
    """Record whether the image label is verified (from validate's state events)."""
    dbsession = request.dbsession
    candidate = dbsession.get(Candidate, image_label_id)
    if candidate is None:
        image_label = dbsession.get(ImageLabel, image_label_id)
        if image_label is None:
            return
        add(request, [image_label])
        dbsession.flush()
        candidate = dbsession.get(Candidate, image_label_id)
        if candidate is None:  # a scene label
            return
    candidate.eligible = eligible


def refresh_done(dbsession: Any, image_label_id: int) -> None:
    """Recompute ``done``: shapes present, or marked not annotatable often enough."""
    dbsession.flush()
    candidate = dbsession.get(Candidate, image_label_id)
    if candidate is None:
        return
    shape_count = dbsession.scalar(select(Annotation.shape_count).where(Annotation.image_label_id == image_label_id))
    candidate.done = bool(shape_count) or candidate.not_annotatable_count >= NOT_ANNOTATABLE_LIMIT


def change_not_annotatable(dbsession: Any, image_label_id: int, delta: int) -> None:
    """Count one more (or one fewer) 'cannot be annotated' mark."""
    dbsession.execute(update(Candidate).where(Candidate.image_label_id == image_label_id)
                      .values(not_annotatable_count=Candidate.not_annotatable_count + delta)
                      .execution_options(synchronize_session=False))
    candidate = dbsession.get(Candidate, image_label_id)
    if candidate is not None:
        dbsession.refresh(candidate)
    refresh_done(dbsession, image_label_id)


def _probe(dbsession: Any, conditions: list[Any], after: int, upto: int | None) -> list[tuple[int, int]]:
    query = select(Candidate.image_label_id, Candidate.random_key).where(*conditions, Candidate.random_key >= after)
    if upto is not None:
        query = query.where(Candidate.random_key < upto)
    return list(dbsession.execute(query.order_by(Candidate.random_key).limit(BATCH)))


def _usable(request: Any, ids: list[int]) -> list[int]:
    """Of ``ids``, those on public images that the contributor has not skipped."""
    dbsession = request.dbsession
    public = set(dbsession.scalars(select(ImageLabel.id).join(Image, Image.id == ImageLabel.image_id)
                                   .where(ImageLabel.id.in_(ids), Image.status == "public")))
    skipped = set(dbsession.scalars(select(Skip.image_label_id).where(Skip.contributor_id == request.contributor.id,
                                                                      Skip.image_label_id.in_(ids))))
    return [i for i in ids if i in public and i not in skipped]


def pick(request: Any, label: str | None) -> ImageLabel | None:
    """An open image label (of ``label``, if given) for the contributor, or None.

    Starts at a random key and walks the candidate index in batches of :data:`BATCH`,
    at most :data:`MAX_PROBES` batches in all (wrapping around once), so the cost is
    bounded whatever the size of the table.
    """
    dbsession = request.dbsession
    conditions: list[Any] = [Candidate.done.is_(False), Candidate.label.not_in(scene_labels(request.registry))]
    if bridge.validate_enabled(request.registry):
        conditions.append(Candidate.eligible.is_(True))
    if label is not None:
        conditions.append(Candidate.label == label)
    conditions.append(task_image_clause(request, Candidate.image_id))
    pivot = random.randint(0, KEY_RANGE)
    probes = 0
    for start, end in ((pivot, None), (0, pivot)):
        after = start
        while probes < MAX_PROBES:
            probes += 1
            rows = _probe(dbsession, conditions, after, end)
            usable = _usable(request, [row[0] for row in rows]) if rows else []
            if usable:
                return dbsession.get(ImageLabel, usable[0])
            if len(rows) < BATCH:
                break
            after = rows[-1][1] + 1
    return None
