"""A request that meets a dropped connection, a deadlock or a serialization failure runs again (pyramid_retry).

Connections are not pinged at checkout any more (a round trip per request): a connection the
server dropped fails its first statement, and the request is retried on a fresh one.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

import pytest
from pyramid_retry import IRetryableError
from sqlalchemy import bindparam, column, insert, table, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from webtest import TestApp

from imagemonkey.db.engine import make_engine
from imagemonkey.db.prepared import PreparedWrite
from imagemonkey.models import Job
from imagemonkey.models.types import utcnow

needs_postgres = pytest.mark.skipif(not os.environ.get("IMAGEMONKEY_TEST_DB"), reason="IMAGEMONKEY_TEST_DB is not set")
ONE_CONNECTION = {"sqlalchemy.pool_size": "1", "sqlalchemy.max_overflow": "0"}


def terminate_pooled_connection(app: TestApp) -> None:
    """Kill the server side of the app's one pooled connection, as a restart or an idle timeout would."""
    engine = app.app.registry["db_engine"]
    with engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = make_engine(app.app.registry.settings["sqlalchemy.url"], pool_size=1, max_overflow=0)
    try:
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
            alive = text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid")
            for _ in range(100):
                if not connection.execute(alive, {"pid": pid}).first():
                    break
                time.sleep(0.02)
    finally:
        admin.dispose()


def test_the_pool_does_not_ping_at_checkout(app: TestApp):
    assert not app.app.registry["db_engine"].pool._pre_ping


@needs_postgres
def test_a_dropped_connection_is_retried(app_factory: Callable[..., TestApp]):
    app = app_factory(**ONE_CONNECTION)
    app.post("/api/v1/clients", status=201)
    terminate_pooled_connection(app)
    assert app.post("/api/v1/clients", status=201).json["token"]


@needs_postgres
def test_without_retries_the_dropped_connection_would_be_a_500(app_factory: Callable[..., TestApp]):
    app = app_factory(**ONE_CONNECTION, **{"retry.attempts": "1"})
    app.post("/api/v1/clients", status=201)
    terminate_pooled_connection(app)
    assert app.post("/api/v1/clients", status=500).json["error"]["code"] == "internal_error"
    app.post("/api/v1/clients", status=201)  # the pool threw the dead connection away


@needs_postgres
def test_a_real_deadlock_is_marked_retryable(app: TestApp):
    engine = app.app.registry["db_engine"]
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS deadlock_probe (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("DELETE FROM deadlock_probe"))
        connection.execute(text("INSERT INTO deadlock_probe VALUES (1, 0), (2, 0)"))
    both_hold_one = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(first: int, second: int) -> None:
        try:
            with engine.begin() as connection:
                connection.execute(text("UPDATE deadlock_probe SET n = n + 1 WHERE id = :id"), {"id": first})
                both_hold_one.wait()
                connection.execute(text("UPDATE deadlock_probe SET n = n + 1 WHERE id = :id"), {"id": second})
        except OperationalError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=order) for order in ((1, 2), (2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE deadlock_probe"))
    assert len(errors) == 1
    assert getattr(errors[0].orig, "sqlstate", None) == "40P01"
    assert IRetryableError.providedBy(errors[0])


@needs_postgres
def test_a_deadlock_in_a_prepared_write_is_retryable(app: TestApp):
    """A :class:`PreparedWrite` runs on the driver's cursor: its errors must still reach pyramid_retry as retryable
    (issue 21, item 6: they came out as the driver's bare ``DeadlockDetected``, a 500)."""
    engine = app.app.registry["db_engine"]
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS deadlock_probe (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("DELETE FROM deadlock_probe"))
        connection.execute(text("INSERT INTO deadlock_probe VALUES (1, 0), (2, 0)"))
    probe = table("deadlock_probe", column("id"), column("n"))
    bump = PreparedWrite(update(probe).where(probe.c.id == bindparam("probe_id")).values(n=probe.c.n + 1), ["probe_id"])
    both_hold_one = threading.Barrier(2)
    errors: list[BaseException] = []
    factory = app.app.registry["dbsession_factory"]

    def worker(first: int, second: int) -> None:
        with factory() as session:
            try:
                bump.execute(session, {"probe_id": first})
                both_hold_one.wait()
                bump.execute(session, {"probe_id": second})
                session.commit()
            except Exception as exc:  # noqa: BLE001 — the test looks at what was raised
                errors.append(exc)
                session.rollback()

    threads = [threading.Thread(target=worker, args=order) for order in ((1, 2), (2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE deadlock_probe"))
    assert len(errors) == 1
    assert isinstance(errors[0], OperationalError)
    assert getattr(errors[0].orig, "sqlstate", None) == "40P01"
    assert IRetryableError.providedBy(errors[0])


def test_a_prepared_write_raises_sqlalchemy_errors(app: TestApp):
    """A constraint broken by a prepared write is SQLAlchemy's IntegrityError, as on SQLAlchemy's own path."""
    factory = app.app.registry["dbsession_factory"]
    insert_job = PreparedWrite(insert(Job), ["id", "name", "state", "progress", "params", "enqueued_at"])
    row = {"id": 77, "name": "probe", "state": "queued", "progress": 0.0, "params": {}, "enqueued_at": utcnow()}
    with factory() as session:
        insert_job.execute(session, row)
        with pytest.raises(IntegrityError) as raised:
            insert_job.execute(session, row)
        assert not IRetryableError.providedBy(raised.value)
        session.rollback()
