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


def mark_changed(session: Session) -> None:
    """Tell the transaction that ``session`` wrote something (Core statements on its connection)."""
    manager = manager_of(session)
    if manager is not None:
        datamanager.mark_changed(session, manager)


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


def install_transaction_events(factory: sessionmaker) -> None:
    """Make every session ``factory`` opens follow ``session.info["tm"]`` (commit, abort, savepoints)."""
    event.listen(factory, "after_begin", _join)
    event.listen(factory, "after_attach", _join)
    event.listen(factory, "after_flush", _changed_after_flush)
    event.listen(factory, "after_bulk_update", _changed_after_bulk)
    event.listen(factory, "after_bulk_delete", _changed_after_bulk)
    event.listen(factory, "before_commit", _only_through_manager)
    event.listen(factory, "do_orm_execute", _changed_by_orm_dml)
