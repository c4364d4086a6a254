"""Engines for the embedded default (SQLite) and for PostgreSQL, with bounded pools."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 5, pool_timeout: float = 30.0,
                echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite gets WAL, foreign keys and a busy timeout; others a bounded pool."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 10},
            **({"poolclass": StaticPool} if memory else {"pool_size": pool_size, "max_overflow": max_overflow,
                                                          "pool_timeout": pool_timeout}),
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, echo=echo, pool_size=pool_size, max_overflow=max_overflow,
                         pool_timeout=pool_timeout, pool_pre_ping=True)


def engine_from_app_settings(settings: Mapping[str, Any]) -> Engine:
    """Build the engine from ``sqlalchemy.url`` and the ``sqlalchemy.pool_*`` settings."""
    return make_engine(
        settings["sqlalchemy.url"],
        pool_size=int(settings.get("sqlalchemy.pool_size", 10)),
        max_overflow=int(settings.get("sqlalchemy.max_overflow", 5)),
        pool_timeout=float(settings.get("sqlalchemy.pool_timeout", 30)),
        echo=str(settings.get("sqlalchemy.echo", "false")).lower() == "true",
    )
