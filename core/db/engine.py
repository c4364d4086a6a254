"""Engines for the embedded default (SQLite) and for PostgreSQL, with bounded pools."""
from __future__ import annotations

import threading
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


WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def install_sqlite_write_lock(engine: Engine) -> None:
    """Serialize this process's SQLite write transactions on one lock.

    SQLite allows one writer at a time; without this, concurrent request threads would
    find the database busy and poll in sleeping retries (``busy_timeout``), which collapses
    write throughput. A thread takes the lock at its transaction's first write (or first
    savepoint) and gives it back at commit, rollback or when the connection returns to the
    pool. Other processes still fall back on the busy timeout.

    pysqlite opens a transaction only before DML, so a first SAVEPOINT would start (and its
    RELEASE commit) one of its own: the savepoint hook opens the transaction first, after
    taking the lock, so no snapshot older than another thread's commit tries to write.
    """
    lock = threading.RLock()

    def take(conn: Any) -> None:
        if "write_lock" not in conn.info:
            lock.acquire()
            conn.info["write_lock"] = True

    def acquire(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:7].upper().startswith(WRITE_VERBS):
            take(conn)

    def begin_before_savepoint(conn: Any, _name: str) -> None:
        take(conn)
        if not conn.connection.dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN")

    def release(info: dict[str, Any]) -> None:
        if info.pop("write_lock", None):
            lock.release()

    event.listen(engine, "before_cursor_execute", acquire)
    event.listen(engine, "savepoint", begin_before_savepoint)
    event.listen(engine, "commit", lambda conn: release(conn.info))
    event.listen(engine, "rollback", lambda conn: release(conn.info))
    event.listen(engine.pool, "checkin", lambda _dbapi, record: record is not None and release(record.info))


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
        install_sqlite_write_lock(engine)
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
