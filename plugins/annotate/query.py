"""annotate in the site's query language: ``annotated:dog`` (the image has an outline of that label) and the
count ``annotations <op> n`` (how many of the image's labels are outlined)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, func, select

from imagemonkey.plugin import QueryField, QueryPrefix

from .models import Annotation


def annotated(label: str, image_id: Any) -> ColumnElement[bool]:
    """The image has an annotation of ``label`` with at least one shape (index on ``(image_id, id)``)."""
    return exists(select(Annotation.id).where(Annotation.image_id == image_id, Annotation.label == label,
                                              Annotation.shape_count > 0))


def prefixes() -> list[QueryPrefix]:
    """``annotated:``."""
    return [QueryPrefix("annotated", "the image has an outline of the label", annotated)]


def annotation_count(image_id: Any) -> ColumnElement[int]:
    """How many of the image's labels have an outline (a count along the ``(image_id, id)`` index)."""
    return (select(func.count(Annotation.id)).where(Annotation.image_id == image_id, Annotation.shape_count > 0)
            .scalar_subquery())


def count_fields() -> list[QueryField]:
    """``annotations``."""
    return [QueryField("annotations", "how many of the image's labels are outlined", annotation_count)]
