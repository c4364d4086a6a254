"""Hot-path writes: a Core statement compiled once per dialect and run straight on the DBAPI cursor.

SQLAlchemy's Core execution (compiled-cache lookup, execution context, result wrapping)
costs about three times what SQLite itself spends on a one-row INSERT. A
:class:`PreparedWrite` keeps the SQL string, the parameter order and the bind processors
(e.g. datetimes to SQLite's text form) per dialect, so a call costs one cursor execute. It
takes the same SQLite write lock as every other write and marks the session changed, so the
request's transaction commits it. Only for statements built once at import time, with
plain bound values (no expanding ``IN`` lists) and a value for every column that has a
Python-side default; results come back as the driver gives them.

A driver error goes through SQLAlchemy's own error handling (:func:`_raise_as_sqlalchemy`), as
it would on SQLAlchemy's path: it is wrapped in the matching ``sqlalchemy.exc`` class, the
engine's ``handle_error`` listeners run (a deadlock or a dropped connection is marked retryable,
so ``pyramid_retry`` runs the request again), and a dropped connection is invalidated.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import Connection, Insert, Update
from sqlalchemy.orm import Session

from .engine import take_write_lock
from .transactions import connection_of, mark_changed


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple[str, ...]
    positional: bool
    defaults: dict[str, Any]
    processors: dict[str, Callable[[Any], Any]]

    def parameters(self, params: Mapping[str, Any]) -> Any:
        values = {**self.defaults, **params}
        for name, process in self.processors.items():
            values[name] = process(values[name])
        return tuple(values[name] for name in self.names) if self.positional else values


class PreparedWrite:
    """An INSERT/UPDATE/DELETE (optionally ``RETURNING``) run with ``params`` named by ``keys``."""

    def __init__(self, statement: Any, keys: Sequence[str]):
        if isinstance(statement, Insert) and not statement.returning_column_descriptions:
            statement = statement.inline()  # no implicit RETURNING of the new primary key
        self.statement = statement
        self.keys = list(keys)
        self._plans: dict[str, _Plan] = {}

    def _plan(self, dialect: Any) -> _Plan:
        compiled = self.statement.compile(dialect=dialect, column_keys=self.keys)
        if compiled.escaped_bind_names or compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("PreparedWrite takes plain bound values only")
        names = tuple(compiled.positiontup or compiled.binds)
        binds = {name: compiled.binds[name] for name in names}
        processors = {name: process for name, bind in binds.items()
                      if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
        defaults = {name: self._default(name, bind) for name, bind in binds.items() if name not in self.keys}
        plan = _Plan(compiled.string, names, bool(compiled.positiontup), defaults, processors)
        self._plans[dialect.name] = plan
        return plan

    def _default(self, name: str, bind: Any) -> Any:
        """A bound value the caller does not pass: a literal in the statement, or its column's scalar default."""
        if bind.callable is not None:
            raise ValueError("PreparedWrite needs every column with a Python-side default among its keys")
        if bind.value is not None:
            return bind.value
        table = getattr(self.statement, "table", None)
        column = table.c.get(name) if table is not None else None
        if column is None:
            return None
        default = column.onupdate if isinstance(self.statement, Update) else column.default
        return default.arg if default is not None and default.is_scalar else None

    def execute(self, dbsession: Session, params: Mapping[str, Any]) -> list[tuple]:
        """Run on the session's connection; returns the ``RETURNING`` rows (empty list without).

        :raises sqlalchemy.exc.DBAPIError: what SQLAlchemy raises for the driver's error (retryable when it is)
        """
        connection, plan, cursor = self._cursor(dbsession)
        values = plan.parameters(params)
        try:
            cursor.execute(plan.sql, values)
            rows = cursor.fetchall() if cursor.description else []
        except Exception as exc:
            _raise_as_sqlalchemy(connection, exc, plan.sql, values, cursor)
        finally:
            cursor.close()
        mark_changed(dbsession)
        return rows

    def execute_many(self, dbsession: Session, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once per parameter set in ``rows`` (one ``executemany``; no ``RETURNING``); nothing when empty.

        :raises sqlalchemy.exc.DBAPIError: as :meth:`execute`
        """
        if not rows:
            return
        connection, plan, cursor = self._cursor(dbsession)
        values = [plan.parameters(params) for params in rows]
        try:
            cursor.executemany(plan.sql, values)
        except Exception as exc:
            _raise_as_sqlalchemy(connection, exc, plan.sql, values, cursor)
        finally:
            cursor.close()
        mark_changed(dbsession)

    def _cursor(self, dbsession: Session) -> tuple[Connection, _Plan, Any]:
        """The session's connection, the plan for its dialect and a DBAPI cursor on it, the write lock taken."""
        connection = connection_of(dbsession)
        plan = self._plans.get(connection.dialect.name) or self._plan(connection.dialect)
        take_write_lock(connection)
        return connection, plan, connection.connection.dbapi_connection.cursor()


def _raise_as_sqlalchemy(connection: Connection, exc: Exception, sql: str, params: Any, cursor: Any) -> NoReturn:
    """Raise ``exc`` (from the driver) as SQLAlchemy would have, had the statement gone through it.

    This is the routine SQLAlchemy's own ``Connection`` runs on a driver error (there is no public
    one for a statement sent to the DBAPI cursor): it wraps the error, runs the engine's
    ``handle_error`` listeners (:func:`.engine.mark_retryable`) and invalidates a dropped connection.
    """
    connection._handle_dbapi_exception(exc, sql, params, cursor, None)
