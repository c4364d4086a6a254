"""The fields a query compares with a number: core's (``width``, ``height``, ``labels``, ``id``) and plugins' counts.

A plugin adds a countable field (annotate's ``annotations``) through ``imagemonkey_query_count_fields``:
a :class:`QueryField` whose ``value(image_id)`` is an integer SQL expression for one image, typically a
correlated ``COUNT`` on the plugin's table that an index starting with ``image_id`` answers.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

from ..models import Image


@dataclass(frozen=True)
class QueryField:
    """A ``name <op> n`` term: ``value(image_id)`` is the SQL integer the comparison applies to."""

    name: str
    description: str
    value: Callable[[Any], ColumnElement[int]]


CORE_FIELDS = {
    "width": QueryField("width", "the image's width in pixels", lambda image_id: Image.width),
    "height": QueryField("height", "the image's height in pixels", lambda image_id: Image.height),
    "labels": QueryField("labels", "how many labels the image has (its stored count)",
                         lambda image_id: Image.label_count),
    "id": QueryField("id", "the image's id", lambda image_id: Image.id),
}


OPERATORS = {">=": "__ge__", "<=": "__le__", ">": "__gt__", "<": "__lt__", "=": "__eq__", "!=": "__ne__"}


def comparison(field: QueryField, operator: str, number: int, image_id: Any) -> ColumnElement[bool]:
    """``field <operator> number`` for the image ``image_id``.

    ``labels`` with anything but ``=`` compares ``label_count + 0``: a range on the
    ``(status, label_count, id)`` index would read every match and sort them by id, while the
    expression leaves the plan reading images newest first by primary key and testing each one, so
    a first page costs about ``limit / selectivity`` rows. ``labels = n`` (and ``unlabeled``) keep
    the index, whose equal-count entries are already in id order.
    """
    value = field.value(image_id)
    if field is CORE_FIELDS["labels"] and operator != "=":
        value = value + 0
    return getattr(value, OPERATORS[operator])(number)


def query_fields(registry: Any) -> dict[str, QueryField]:
    """Core's fields and every enabled plugin's (collected once per app); a name claimed twice is an error."""
    cached = registry.get("query_fields")
    if cached is not None:
        return cached
    found = dict(CORE_FIELDS)
    for batch in registry.pm.hook.imagemonkey_query_count_fields():
        for item in batch or []:
            if item.name in found:
                raise ValueError(f"the query field {item.name!r} is defined twice (core's or another plugin's)")
            found[item.name] = item
    registry["query_fields"] = found
    return found
