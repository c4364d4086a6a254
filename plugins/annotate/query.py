"""The ``annotated:dog`` prefix of the site's query language: the image has an outline of that label."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, select

from imagemonkey.plugin import QueryPrefix

from .models import Annotation


def annotated(label: str, image_id: Any) -> ColumnElement[bool]:
    """The image has an annotation of ``label`` with at least one shape (index on ``(image_id, id)``)."""
    return exists(select(Annotation.id).where(Annotation.image_id == image_id, Annotation.label == label,
                                              Annotation.shape_count > 0))


def prefixes() -> list[QueryPrefix]:
    """``annotated:``."""
    return [QueryPrefix("annotated", "the image has an outline of the label", annotated)]
