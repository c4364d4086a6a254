"""Database wiring: engine from settings, one session per request under pyramid_tm."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import transaction
import zope.sqlalchemy
from sqlalchemy.orm import Session, sessionmaker

from .engine import engine_from_app_settings
from .meta import Base, owner_of

__all__ = ["Base", "owner_of", "engine_from_app_settings", "get_tm_session", "after_commit", "includeme"]


def get_tm_session(session_factory: sessionmaker, transaction_manager: transaction.TransactionManager,
                   request: Any = None) -> Session:
    """A session joined to ``transaction_manager``: commit and rollback follow the transaction."""
    dbsession = session_factory(info={"request": request})
    zope.sqlalchemy.register(dbsession, transaction_manager=transaction_manager)
    return dbsession


def after_commit(request: Any, action: Callable[[], None]) -> None:
    """Run ``action`` only once the request's transaction has committed (files, notifications)."""
    def hook(success: bool) -> None:
        if success:
            action()
    request.tm.get().addAfterCommitHook(hook)


def includeme(config: Any) -> None:
    """Create the engine, register ``request.dbsession`` and pyramid_tm."""
    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    config.include("pyramid_tm")
    engine = engine_from_app_settings(settings)
    session_factory = sessionmaker(bind=engine, expire_on_commit=False)
    config.registry["dbsession_factory"] = session_factory
    config.registry["db_engine"] = engine

    def dbsession(request: Any) -> Session:
        session = request.environ.get("app.dbsession")
        if session is None:
            session = get_tm_session(session_factory, request.tm, request=request)
            request.environ["app.dbsession"] = session
        return session

    config.add_request_method(dbsession, reify=True)
