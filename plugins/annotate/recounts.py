"""Annotate's counters (:mod:`.counters`) recounted from its tables, for ``imagemonkey stats verify``."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import Image, StatCounter, daily_counter, day_of, sharded_counter

from .counters import REVISIONS, SHAPES
from .models import Annotation, LabelCount, Revision


def _outlined(dbsession: Any) -> Any:
    """Outlined image labels per label, on public images."""
    return dbsession.execute(select(Annotation.label, func.count()).join(Image, Image.id == Annotation.image_id)
                             .where(Image.status == "public", Annotation.shape_count > 0).group_by(Annotation.label))


def _public_revisions(dbsession: Any) -> list[Any]:
    """Revisions and their shapes per day saved, on public images."""
    day = day_of(Revision.created_at)
    rows = dbsession.execute(select(day, func.count(), func.sum(Revision.shape_count))
                             .join(Annotation, Annotation.id == Revision.annotation_id)
                             .join(Image, Image.id == Annotation.image_id)
                             .where(Image.status == "public").group_by(day)).all()
    return [(d, REVISIONS, revisions) for d, revisions, _ in rows] + [(d, SHAPES, shapes) for d, _, shapes in rows]


def recounts() -> list[StatCounter]:
    """Annotate's counters, each with its recount."""
    return [sharded_counter("annotate.outlined_labels", LabelCount.__table__, ["label"], "outlined", _outlined),
            daily_counter("annotate.public_revisions", lambda dbsession: [REVISIONS, SHAPES], _public_revisions)]
