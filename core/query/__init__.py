"""The image query language: ``dog & ~cat``, ``(car | truck) & person``, ``"cell phone"``,
``verified:dog`` (prefixes from plugins), ``any:animal``, ``unlabeled``, ``width >= 1024``, ``annotations = 0``
(fields from plugins); parsed with lark, compiled to indexed SQL.

See ``docs/query.md``. Entry points: :func:`parse_query`, :func:`image_query` (a ``SELECT`` of
matching images, newest first, with keyset pagination) and :class:`QueryPrefix` for plugins.
"""
from __future__ import annotations

from .compiler import CompiledQuery, Compiler, has_label
from .fields import QueryField, query_fields
from .parser import QueryError, parse_query
from .prefixes import QueryPrefix, query_prefixes
from .select import compiler_for, image_condition, image_query, query_error

__all__ = ["CompiledQuery", "Compiler", "QueryError", "QueryField", "QueryPrefix", "compiler_for", "has_label",
           "image_condition", "image_query", "parse_query", "query_error", "query_fields", "query_prefixes"]
