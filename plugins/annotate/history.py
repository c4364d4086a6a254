"""Revisions as lists of shape ids: each distinct shape of an annotation is stored once.

An annotation of 200 polygons × 1,000 points is 8 MB of JSON; storing it whole at every
revision made each PUT copy it again. Here a revision stores the ids of its shapes, and a
shape row is added only for a shape (by the sha256 of its canonical JSON) the annotation
has never held. Writers of one annotation are already serialised by the conditional UPDATE
of :func:`imagemonkey_annotate.service.revise`, so plain inserts cannot collide.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from .models import Revision, Shape


def shape_json(shape: dict[str, Any]) -> str:
    """The canonical JSON of one shape (sorted keys, no spaces)."""
    return json.dumps(shape, separators=(",", ":"), sort_keys=True)


def store_shapes(dbsession: Any, annotation_id: int, shapes: list[dict[str, Any]]) -> list[int]:
    """The ids of ``shapes``' rows, in order, inserting only the ones the annotation never held."""
    texts = [shape_json(shape) for shape in shapes]
    digests = [hashlib.sha256(text.encode()).hexdigest() for text in texts]
    known: dict[str, int] = {}
    wanted = sorted(set(digests))
    for start in range(0, len(wanted), 500):
        known.update(dbsession.execute(select(Shape.digest, Shape.id).where(
            Shape.annotation_id == annotation_id, Shape.digest.in_(wanted[start:start + 500]))).all())
    new = {digest: Shape(annotation_id=annotation_id, digest=digest, data=text)
           for digest, text in zip(digests, texts, strict=True) if digest not in known}
    if new:
        dbsession.add_all(new.values())
        dbsession.flush()
        known.update({digest: row.id for digest, row in new.items()})
    return [known[digest] for digest in digests]


def revision_shapes(dbsession: Any, revision: Revision) -> list[dict[str, Any]]:
    """The shapes of ``revision``, in order."""
    ids = json.loads(revision.shape_ids)
    found: dict[int, str] = {}
    unique = sorted(set(ids))
    for start in range(0, len(unique), 500):
        found.update(dbsession.execute(select(Shape.id, Shape.data).where(
            Shape.id.in_(unique[start:start + 500]))).all())
    return [json.loads(found[shape_id]) for shape_id in ids]
