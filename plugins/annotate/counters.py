"""Outlined image labels per label, counted with every change so statistics never scan annotations."""
from __future__ import annotations

from typing import Any

from sqlalchemy import text

from imagemonkey.plugin import count_daily, write

__all__ = ["count_daily", "count_outline"]

ADD = text("INSERT INTO annotate_label_count (label, outlined) VALUES (:label, :n) "
           "ON CONFLICT (label) DO UPDATE SET outlined = annotate_label_count.outlined + excluded.outlined")


def count_outline(dbsession: Any, label: str, had_shapes: bool, has_shapes: bool) -> None:
    """An annotation of ``label`` went from (not) having shapes to (not) having them."""
    if had_shapes != has_shapes:
        write(dbsession, ADD, {"label": label, "n": 1 if has_shapes else -1})
