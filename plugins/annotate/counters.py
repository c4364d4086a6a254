"""Outline counters for statistics, of public images only (what the public may see), kept with every change.

``annotate_label_count`` holds outlined image labels per label (summed over the shards, one per database
connection: ``counter_shard``); core's per-day counters hold
``annotate.public_revisions`` and ``annotate.public_shapes`` by the day a revision was saved. When
an image becomes public (or stops being public) its outlines and revisions move in (or out); when its image labels
are deleted (a reverted labeller), their outlines and revisions move out.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from imagemonkey.plugin import Image, count_daily, counter_shard, write

from .models import Annotation, Revision

REVISIONS, SHAPES = "annotate.public_revisions", "annotate.public_shapes"
ADD = text("INSERT INTO annotate_label_count (label, shard, outlined) VALUES (:label, :shard, :n) "
           "ON CONFLICT (label, shard) DO UPDATE SET outlined = annotate_label_count.outlined + excluded.outlined")


def is_public(dbsession: Any, image_id: int) -> bool:
    """Whether the image is public now."""
    return dbsession.scalar(select(Image.status).where(Image.id == image_id)) == "public"


def count_outline(dbsession: Any, annotation: Annotation, had_shapes: bool, has_shapes: bool) -> None:
    """An annotation went from (not) having shapes to (not) having them; counted while its image is public."""
    if had_shapes != has_shapes and is_public(dbsession, annotation.image_id):
        _add(dbsession, annotation.label, 1 if has_shapes else -1)


def count_revision(dbsession: Any, annotation: Annotation, shapes: int, sign: int = 1, day: str | None = None) -> None:
    """A revision with ``shapes`` shapes was saved (``sign=1``) or removed (``-1``); counted for public images."""
    if is_public(dbsession, annotation.image_id):
        count_daily(dbsession, REVISIONS, sign, day)
        count_daily(dbsession, SHAPES, sign * shapes, day)


def image_visibility_changed(dbsession: Any, image_id: int, sign: int) -> None:
    """An image became public (``sign=1``) or stopped being public (``-1``): its outlines and revisions follow."""
    _count_annotations(dbsession, Annotation.image_id == image_id, sign)


def image_labels_removed(dbsession: Any, image_label_ids: list[int]) -> None:
    """Image labels are about to be deleted, their annotations and revisions with them: uncount those (public)."""
    _count_annotations(dbsession, Annotation.image_label_id.in_(image_label_ids) & Annotation.image_id.in_(
        select(Image.id).where(Image.status == "public")), -1)


def _count_annotations(dbsession: Any, which: Any, sign: int) -> None:
    """Add (``sign=1``) or take away (``-1``) the outlines and revisions of the annotations matching ``which``."""
    for label, in dbsession.execute(select(Annotation.label).where(which, Annotation.shape_count > 0)):
        _add(dbsession, label, sign)
    for created_at, shapes in dbsession.execute(
            select(Revision.created_at, Revision.shape_count).join(Annotation, Annotation.id == Revision.annotation_id)
            .where(which)):
        day = created_at.strftime("%Y-%m-%d")
        count_daily(dbsession, REVISIONS, sign, day)
        count_daily(dbsession, SHAPES, sign * shapes, day)


def _add(dbsession: Any, label: str, n: int) -> None:
    """Add ``n`` outlined image labels to ``label``, in the shard of the session's connection."""
    write(dbsession, ADD, {"label": label, "shard": counter_shard(dbsession), "n": n})
