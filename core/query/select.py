"""Turning query text into a ``SELECT`` of images, newest first, ready for keyset pagination."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from ..errors import ApiError
from ..models import Image, ImageLabel
from .caption import caption_driver
from .compiler import Compiler
from .fields import query_fields
from .parser import QueryError, parse_query
from .prefixes import property_clause, query_prefixes


def query_error(error: QueryError) -> ApiError:
    """The 400 JSON error for a query mistake, with its position."""
    return ApiError(400, error.code, error.message, position=error.position)


def image_query(registry: Any, text: str, *, before_id: int | None = None, after_id: int | None = None,
                ascending: bool = False) -> tuple[Select[tuple[Image]], Any]:
    """``(statement, order column)`` selecting the images matching ``text``, newest first (``ascending``: oldest
    first); raises :class:`QueryError`.

    ``before_id``/``after_id`` continue a keyset page. The caller adds its visibility clause and
    limit. With a driving label, images come from the ``(label, image_id)`` index of ``image_label``; with a
    driving caption phrase, from the captions' full-text index in image id order.
    """
    compiled = compiler_for(registry).compile(parse_query(text))
    statement = select(Image)
    if compiled.phrase:
        driver = caption_driver(registry["db_engine"].dialect.name, list(compiled.phrase))
        statement = (statement.select_from(driver.source).join(Image, Image.id == driver.image_id)
                     .where(driver.where))
        order_column = driver.image_id
    elif compiled.driver is not None:
        statement = (statement.join(ImageLabel, ImageLabel.image_id == Image.id)
                     .where(ImageLabel.label == compiled.driver))
        order_column = ImageLabel.image_id
    else:
        order_column = Image.id
    statement = statement.where(compiled.where)
    if before_id is not None:
        statement = statement.where(order_column < before_id)
    if after_id is not None:
        statement = statement.where(order_column > after_id)
    return statement.order_by(order_column.asc() if ascending else order_column.desc()), order_column


def image_condition(registry: Any, text: str) -> Any:
    """The condition "the image matches ``text``" on ``image`` alone (no driving index; for orders that read
    another index); raises :class:`QueryError`."""
    return compiler_for(registry).clause(parse_query(text))


def compiler_for(registry: Any) -> Compiler:
    """A compiler with the app's catalog, the enabled plugins' prefixes, property filters and count fields."""
    return Compiler(registry["catalog"], query_prefixes(registry), property_clause(registry), query_fields(registry))
