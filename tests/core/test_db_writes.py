"""Writes below the ORM: the SQLite write lock, prepared hot-path writes, and sessions joined to request managers."""
from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import transaction
from sqlalchemy import Column, Integer, MetaData, String, Table, event, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from webtest import TestApp

from imagemonkey.db import get_tm_session
from imagemonkey.db.engine import make_engine
from imagemonkey.db.prepared import PreparedWrite
from imagemonkey.db.transactions import connection_of
from imagemonkey.models import Contribution, Contributor, LabelSuggestion
from imagemonkey.scripting import app_request

metadata = MetaData()
counters = Table("counters", metadata, Column("name", String, primary_key=True), Column("hits", Integer))


def test_concurrent_sqlite_writers_never_find_the_database_locked(tmp_path: Path) -> None:
    """The in-process lock is held until COMMIT has run, so no writer ever needs SQLite's busy retries."""
    engine = make_engine(f"sqlite:///{tmp_path / 'writes.sqlite'}", pool_size=4)
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout=0"))
    metadata.create_all(engine)
    upsert = sqlite_insert(counters).values(hits=1)
    upsert = upsert.on_conflict_do_update(index_elements=["name"], set_={"hits": counters.c.hits + 1})
    errors: list[Exception] = []

    def writer(name: str) -> None:
        try:
            for _ in range(150):
                with engine.begin() as connection:
                    connection.execute(upsert, {"name": name})
                    connection.execute(upsert, {"name": "shared"})
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"writer {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as connection:
        hits = dict(connection.execute(select(counters.c.name, counters.c.hits)).all())
    assert hits == {"shared": 600, **{f"writer {n}": 150 for n in range(4)}}
    engine.dispose()


def test_sqlite_select_for_update_holds_the_row_until_commit(tmp_path: Path) -> None:
    """Read-modify-write through ``with_for_update()`` loses no update on SQLite either."""
    engine = make_engine(f"sqlite:///{tmp_path / 'rmw.sqlite'}", pool_size=4)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(counters), {"name": "shared", "hits": 0})
    read = select(counters.c.hits).where(counters.c.name == "shared").with_for_update()

    def incrementer() -> None:
        for _ in range(40):
            with Session(engine) as session:
                hits = session.scalar(read)
                time.sleep(0.0005)  # another thread reads now, unless the row is held
                session.execute(update(counters).where(counters.c.name == "shared").values(hits=hits + 1))
                session.commit()

    threads = [threading.Thread(target=incrementer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        assert connection.scalar(select(counters.c.hits)) == 120
    engine.dispose()


@pytest.mark.counters_unchecked("log rows written without their counters: PreparedWrite on a handy table")
def test_prepared_write_stores_what_core_stores(app: TestApp) -> None:
    when = datetime(2026, 11, 29, 3, 4, 5, 678901, tzinfo=UTC)
    values = {"kind": "test.kind", "target_id": "7", "created_at": when, "reverted": False}
    prepared = PreparedWrite(insert(Contribution), ["contributor_id", *values])
    with app_request(app.app.registry) as request:
        contributor = Contributor(kind="client", role="contributor")
        request.dbsession.add(contributor)
        request.dbsession.flush()
        assert prepared.execute(request.dbsession, {"contributor_id": contributor.id, **values}) == []
        request.dbsession.execute(insert(Contribution), {"contributor_id": contributor.id, **values})
    with app_request(app.app.registry) as request:
        rows = request.dbsession.scalars(select(Contribution).where(Contribution.kind == "test.kind")).all()
        assert [(row.target_id, row.created_at, row.reverted) for row in rows] == [("7", when, False)] * 2


@pytest.mark.counters_unchecked("log rows written without their counters: PreparedWrite on a handy table")
def test_prepared_write_many_writes_every_row_and_fills_scalar_defaults(app: TestApp) -> None:
    """``execute_many`` sends every parameter set; a column left out gets its scalar default, as with Core."""
    when = datetime(2026, 11, 29, 3, 4, 5, tzinfo=UTC)
    prepared = PreparedWrite(insert(Contribution), ["contributor_id", "kind", "target_id", "created_at"])
    with app_request(app.app.registry) as request:
        contributor = Contributor(kind="client", role="contributor")
        request.dbsession.add(contributor)
        request.dbsession.flush()
        prepared.execute_many(request.dbsession, [
            {"contributor_id": contributor.id, "kind": "test.many", "target_id": str(n), "created_at": when}
            for n in range(3)])
        prepared.execute_many(request.dbsession, [])
    with app_request(app.app.registry) as request:
        rows = request.dbsession.scalars(select(Contribution).where(Contribution.kind == "test.many")
                                         .order_by(Contribution.id)).all()
        assert [(row.target_id, row.created_at, row.reverted) for row in rows] == [
            ("0", when, False), ("1", when, False), ("2", when, False)]


def test_hot_writes_use_the_current_transactions_connection(app: TestApp) -> None:
    """The remembered connection is the session's own until its transaction ends, then the next one's."""
    session = app.app.registry["dbsession_factory"]()
    try:
        first = connection_of(session)
        assert connection_of(session) is first is session.connection()
        session.rollback()
        second = connection_of(session)
        assert second is session.connection()
        assert second is not first
    finally:
        session.close()


def test_prepared_write_returns_returning_rows_and_rolls_back_with_the_request(app: TestApp) -> None:
    returning = PreparedWrite(insert(LabelSuggestion).values(usage_count=1)
                              .returning(LabelSuggestion.id, LabelSuggestion.usage_count), ["name", "created_at"])
    with pytest.raises(RuntimeError), app_request(app.app.registry) as request:
        ((new_id, usage_count),) = returning.execute(request.dbsession, {"name": "hoverboard",
                                                                         "created_at": datetime.now(UTC)})
        assert usage_count == 1
        raise RuntimeError("roll the request back")
    with app_request(app.app.registry) as request:
        assert request.dbsession.get(LabelSuggestion, new_id) is None


def test_request_sessions_commit_only_through_their_manager(app: TestApp) -> None:
    factory = app.app.registry["dbsession_factory"]
    manager = transaction.TransactionManager(explicit=True)
    manager.begin()
    session = get_tm_session(factory, manager)
    session.add(LabelSuggestion(name="joined", usage_count=1, created_at=datetime.now(UTC)))
    with pytest.raises(RuntimeError, match="transaction manager"):
        session.commit()
    manager.abort()
    plain = factory()
    try:
        assert plain.scalar(select(LabelSuggestion.id).where(LabelSuggestion.name == "joined")) is None
        plain.add(LabelSuggestion(name="plain", usage_count=1, created_at=datetime.now(UTC)))
        plain.commit()
    finally:
        plain.close()
    with app_request(app.app.registry) as request:
        assert request.dbsession.scalar(select(LabelSuggestion.name).where(LabelSuggestion.name == "plain")) == "plain"
