"""Engines for the embedded default (SQLite) and for PostgreSQL, with bounded pools."""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from pyramid_retry import mark_error_retryable
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.pool import StaticPool


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_WRITE_LOCK_TAKERS: weakref.WeakKeyDictionary[Engine, Callable[[Any], None]] = weakref.WeakKeyDictionary()


def take_write_lock(connection: Any) -> None:
    """Before a write sent straight to the DBAPI cursor: take the engine's SQLite write lock (no-op elsewhere)."""
    take = _WRITE_LOCK_TAKERS.get(connection.engine)
    if take is not None:
        take(connection)


def locks_rows(context: Any) -> bool:
    """True when the statement being run is a ``SELECT ... FOR UPDATE`` (``with_for_update()``)."""
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def install_sqlite_write_lock(engine: Engine) -> None:
    """Serialize this process's SQLite write transactions on one lock.

    SQLite allows one writer at a time; without this, concurrent request threads would
    find the database busy and poll in sleeping retries (``busy_timeout``), which collapses
    write throughput. A thread takes the lock at its transaction's first write (or first
    savepoint) and gives it back once the COMMIT or ROLLBACK has run: the dialect's
    ``do_commit``/``do_rollback`` are wrapped, because SQLAlchemy's ``commit`` event fires
    before the COMMIT, while the database is still locked. Other processes still fall back on
    the busy timeout.

    pysqlite opens a transaction only before DML, so a first SAVEPOINT would start (and its
    RELEASE commit) one of its own: the savepoint hook opens the transaction first, after
    taking the lock, so no snapshot older than another thread's commit tries to write.
    SQLite has no ``SELECT ... FOR UPDATE``: such a read takes the lock and opens the
    transaction before it runs, so a read-modify-write holds its rows until COMMIT, as on
    PostgreSQL. That transaction (and a savepoint's) begins IMMEDIATE, taking the database's
    write lock at once, waiting on other processes through the busy timeout: a deferred one
    would read a snapshot first, and its first write would fail at once with "database is
    locked" whenever another process (a worker beside the server) had committed since.
    """
    lock = threading.RLock()
    holders: set[int] = set()  # id() of the DBAPI connections whose transaction holds the lock

    def key(connection: Any) -> int:
        return id(getattr(connection, "dbapi_connection", connection))

    def take(conn: Any) -> None:
        holder = key(conn.connection)
        if holder not in holders:
            lock.acquire()
            holders.add(holder)

    def release(connection: Any) -> None:
        holder = key(connection)
        if holder in holders:
            holders.discard(holder)
            lock.release()

    def take_and_begin(conn: Any) -> None:
        take(conn)
        dbapi_connection = conn.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN IMMEDIATE")

    def acquire(conn: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool) -> None:
        if statement.lstrip()[:7].upper().startswith(WRITE_VERBS):
            take(conn)
        elif locks_rows(context):
            take_and_begin(conn)

    def begin_before_savepoint(conn: Any, _name: str) -> None:
        take_and_begin(conn)

    def releasing_after(end_transaction: Any) -> Any:
        def end_then_release(connection: Any) -> None:
            try:
                end_transaction(connection)
            finally:
                release(connection)
        return end_then_release

    _WRITE_LOCK_TAKERS[engine] = take
    dialect = engine.dialect
    dialect.do_commit = releasing_after(dialect.do_commit)
    dialect.do_rollback = releasing_after(dialect.do_rollback)
    event.listen(engine, "before_cursor_execute", acquire)
    event.listen(engine, "savepoint", begin_before_savepoint)
    event.listen(engine.pool, "checkin", lambda dbapi_connection, _record: release(dbapi_connection))


#: SQLSTATEs after which the whole transaction can simply run again: serialization failure, deadlock.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def mark_retryable(context: ExceptionContext) -> None:
    """``handle_error`` listener: a deadlock, a serialization failure or a dropped connection makes the request
    retryable (``pyramid_retry`` runs it again in a new transaction, on a new connection)."""
    original = context.original_exception
    if context.is_disconnect or getattr(original, "sqlstate", None) in RETRYABLE_SQLSTATES:
        if context.sqlalchemy_exception is not None:
            mark_error_retryable(context.sqlalchemy_exception)
        if isinstance(original, Exception):
            mark_error_retryable(original)


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 5, pool_timeout: float = 30.0,
                pool_recycle: int = 3600, echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite gets WAL, foreign keys and a busy timeout; others a bounded pool.

    Connections are not pinged at every checkout (a round trip per request): they are
    recycled after ``pool_recycle`` seconds, and one found dropped fails its statement,
    invalidates the pool, and is retried with the request (:func:`mark_retryable`).
    """
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
        event.listen(engine, "handle_error", mark_retryable)
        install_sqlite_write_lock(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    engine = create_engine(url, echo=echo, pool_size=pool_size, max_overflow=max_overflow,
                           pool_timeout=pool_timeout, pool_recycle=pool_recycle)
    event.listen(engine, "handle_error", mark_retryable)
    return engine


def engine_from_app_settings(settings: Mapping[str, Any]) -> Engine:
    """Build the engine from ``sqlalchemy.url`` and the ``sqlalchemy.pool_*`` settings."""
    return make_engine(
        settings["sqlalchemy.url"],
        pool_size=int(settings.get("sqlalchemy.pool_size", 10)),
        max_overflow=int(settings.get("sqlalchemy.max_overflow", 5)),
        pool_timeout=float(settings.get("sqlalchemy.pool_timeout", 30)),
        pool_recycle=int(settings.get("sqlalchemy.pool_recycle", 3600)),
        echo=str(settings.get("sqlalchemy.echo", "false")).lower() == "true",
    )
