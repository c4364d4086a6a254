"""Database wiring: engine from settings, one session per request under pyramid_tm."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import transaction
from sqlalchemy.orm import Session, sessionmaker

from .engine import engine_from_app_settings
from .meta import Base, owner_of
from .transactions import install_transaction_events

__all__ = ["Base", "owner_of", "engine_from_app_settings", "get_tm_session", "after_commit",
           "includeme"]


def get_tm_session(session_factory: sessionmaker, transaction_manager: transaction.TransactionManager,
                   request: Any = None) -> Session:
    """A session joined to ``transaction_manager``: commit and rollback follow the transaction."""
    return session_factory(info={"request": request, "tm": transaction_manager})


def after_commit(request: Any, action: Callable[[], None]) -> None:
    """Run ``action`` only once the request's transaction has committed (files, notifications)."""
    def hook(success: bool) -> None:
        if success:
            action()
    request.tm.get().addAfterCommitHook(hook)


NO_DATABASE_PATHS = frozenset({"/api/v1/labels", "/api/v1/info", "/api/v1/openapi.json"})


def needs_transaction(request: Any) -> bool:
    """pyramid_tm's activate hook: documents served from memory (the catalog, info, static files) skip it."""
    return request.path_info not in NO_DATABASE_PATHS and not request.path_info.startswith("/static/")


def includeme(config: Any) -> None:
    """Create the engine and session factory; install pyramid_tm's tween (the request class provides ``tm``) and
    pyramid_retry's execution policy (``retry.attempts``, default 3)."""
    import pyramid_tm
    from pyramid.tweens import EXCVIEW

    settings = config.get_settings()
    settings["tm.manager_hook"] = pyramid_tm.explicit_manager
    settings["tm.activate_hook"] = needs_transaction
    settings.setdefault("retry.attempts", 3)
    config.include("pyramid_retry")  # a deadlock or a dropped connection runs the request again
    config.add_tween("pyramid_tm.tm_tween_factory", over=EXCVIEW)
    engine = engine_from_app_settings(settings)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    from ..declared_settings import get_setting

    install_transaction_events(factory, strict_writes=get_setting(config.registry, "imagemonkey.strict_writes"))
    config.registry["dbsession_factory"] = factory
    config.registry["db_engine"] = engine
