"""SQL helpers that read the same on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class day_of(FunctionElement):  # noqa: N801 — used like a SQL function
    """The ``YYYY-MM-DD`` (UTC) of a timestamp column, for per-day series: ``day_of(Report.created_at)``.

    SQLite stores UTC timestamps as text; PostgreSQL's ``timestamptz`` is read in UTC whatever the
    server's or the session's ``TimeZone``, so a day is the same day the counters were kept under.
    """

    type = String()
    inherit_cache = True
    name = "day_of"


@compiles(day_of)
def _day_of(element: day_of, compiler: Any, **kw: Any) -> str:
    return f"substr(CAST({compiler.process(element.clauses, **kw)} AS VARCHAR), 1, 10)"


@compiles(day_of, "postgresql")
def _day_of_postgresql(element: day_of, compiler: Any, **kw: Any) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
