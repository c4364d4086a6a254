"""The image query language: ``dog & ~cat``, ``(car | truck) & person``, ``"cell phone"``,
``verified:dog`` (prefixes from plugins), ``width >= 1024``; parsed with lark, compiled to indexed SQL.

See ``docs/query.md``. Entry points: :func:`parse_query`, :func:`image_query` (a ``SELECT`` of
matching images, newest first, with keyset pagination) and :class:`QueryPrefix` for plugins.
"""
from __future__ import annotations

from .compiler import CompiledQuery, Compiler, has_label
from .parser import QueryError, parse_query
from .prefixes import QueryPrefix, query_prefixes
from .select import compiler_for, image_query, query_error

__all__ = ["CompiledQuery", "Compiler", "QueryError", "QueryPrefix", "compiler_for", "has_label", "image_query",
           "parse_query", "query_error", "query_prefixes"]
