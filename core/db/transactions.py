"""Joining request sessions to their transaction managers, with listeners installed once per app.

``zope.sqlalchemy.register(session, transaction_manager=tm)`` installs seven event
listeners on every new session, which cost as much as the rest of a cheap write
request. Here the listeners are installed once on the app's ``sessionmaker``, and each
session names its own (explicit, per-request) transaction manager in ``session.info["tm"]``;
a session opened without one (a test's or a script's plain session) commits by itself.
The behaviour is zope.sqlalchemy's: a session joins the manager's transaction when it
begins or gets an object, and counts as changed after a flush or an ORM bulk write.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from transaction._transaction import Status
from zope.sqlalchemy import datamanager


def manager_of(session: Session) -> Any:
    """The transaction manager ``session`` was opened for, or None for a plain session."""
    return session.info.get("tm")


_CONNECTION = "current_connection"


def connection_of(session: Session) -> Any:
    """``session.connection()`` for hot writes: the same Connection, remembered for the session's current
    transaction (SQLAlchemy's own call walks the transaction's state checks each time, and a hot request
    makes several)."""
    transaction = session.get_transaction()
    known = session.info.get(_CONNECTION)
    if transaction is not None and known is not None and known[0] is transaction:
        return known[1]
    connection = session.connection()
    session.info[_CONNECTION] = (session.get_transaction(), connection)
    return connection


def mark_changed(session: Session) -> None:
    """Tell the transaction that ``session`` wrote something (Core statements on its connection)."""
    manager = manager_of(session)
    if manager is not None:
        datamanager.mark_changed(session, manager)


class UnmarkedWriteError(RuntimeError):
    """A Core INSERT/UPDATE/DELETE ran on a request's session that was never marked changed (strict writes)."""


def write(request: Any, statement: Any, params: Any = None, *, flush: bool = True) -> Any:
    """Execute Core DML ``statement`` on the request's session and mark its transaction as written.

    The one write API for plugins: a Core statement alone does not tell the transaction
    manager that the session wrote, and an unmarked session is rolled back at the end.
    ``request`` may also be the session itself (for helpers below the request). ``params``
    is one dict or a list of dicts (executemany). With ``flush=False`` the statement runs
    straight on the session's connection: no autoflush of pending ORM changes, no ORM
    compilation (hot paths whose statement does not depend on pending objects).
    Returns the statement's result.
    """
    session = request if isinstance(request, Session) else request.dbsession
    if flush:
        result = session.execute(statement, params)
    else:
        result = session.connection().execute(statement, params)
    mark_changed(session)
    return result


def _is_changed(session: Session) -> bool:
    # zope.sqlalchemy keeps each joined session's state here; "changed" is what makes it commit
    return datamanager._SESSION_STATE.get(session) == datamanager.STATUS_CHANGED


def _check_marked(session: Session, statement: Any, current: Any) -> None:
    if not _is_changed(session):
        # a failing before-commit hook leaves the transaction active (pyramid_tm only renders the error):
        # abort it here so the session's connection goes back to the pool
        current.abort()
        raise UnmarkedWriteError(
            f"a Core write ran on the request's session but the transaction was never marked changed, so it "
            f"would silently roll back: use imagemonkey.plugin.write(request, statement) ({str(statement)[:120]!r})")


def _watch_core_writes(state: Any) -> None:
    """Strict writes: a plain Core INSERT/UPDATE/DELETE must be marked changed before commit."""
    if state.is_orm_statement or not (state.is_insert or state.is_update or state.is_delete):
        return
    session = state.session
    manager = manager_of(session)
    if manager is None:
        return
    current = manager.get()
    if session.info.get("watched_transaction") is not current:
        session.info["watched_transaction"] = current
        current.addBeforeCommitHook(_check_marked, (session, state.statement, current))


def _join(session: Session, *_args: Any) -> None:
    manager = manager_of(session)
    if manager is not None:
        datamanager.join_transaction(session, datamanager.STATUS_ACTIVE, manager)


def _changed_after_flush(session: Session, _flush_context: Any) -> None:
    mark_changed(session)


def _changed_after_bulk(context: Any) -> None:
    mark_changed(context.session)


def _changed_by_orm_dml(state: Any) -> None:
    if state.is_orm_statement and (state.is_update or state.is_insert or state.is_delete):
        mark_changed(state.session)


def _only_through_manager(session: Session) -> None:
    manager = manager_of(session)
    if manager is not None and not session.in_nested_transaction() and manager.get().status != Status.COMMITTING:
        raise RuntimeError("Commit a request's session through its transaction manager (request.tm), "
                           "not session.commit().")


def install_transaction_events(factory: sessionmaker, *, strict_writes: bool = False) -> None:
    """Make every session ``factory`` opens follow ``session.info["tm"]`` (commit, abort, savepoints).

    With ``strict_writes`` (tests), a Core write that was never marked changed fails the commit.
    """
    event.listen(factory, "after_begin", _join)
    event.listen(factory, "after_attach", _join)
    event.listen(factory, "after_flush", _changed_after_flush)
    event.listen(factory, "after_bulk_update", _changed_after_bulk)
    event.listen(factory, "after_bulk_delete", _changed_after_bulk)
    event.listen(factory, "before_commit", _only_through_manager)
    event.listen(factory, "do_orm_execute", _changed_by_orm_dml)
    if strict_writes:
        event.listen(factory, "do_orm_execute", _watch_core_writes)
