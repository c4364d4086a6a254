"""Hot counters (``stat_image_status``, ``stat_label``) kept per shard: exact under concurrent donations,
different shards for the connections of different processes, recounted and repaired over their shards."""
from __future__ import annotations

import http.client
import itertools
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, func, select, text
from support import jpeg
from waitress.server import create_server
from webtest import TestApp

from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import alembic_config
from imagemonkey.models import StatImageStatus, StatLabel
from imagemonkey.plugin import write
from imagemonkey.scripting import app_request
from imagemonkey.services import counters
from imagemonkey.services.counters import shard_of
from imagemonkey.testing import counter_drifts, new_client, recount_counters

DONORS = 16
BEFORE, SHARDED = "b8a8b120afed", "5111b5075d9b"  # core's head before the shards, and the migration adding them


def postgres(app: TestApp) -> bool:
    return app.app.registry.settings["sqlalchemy.url"].startswith("postgresql")


def upload(port: int, token: str, data: bytes, label: str) -> int:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\n{label}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/api/v1/images", body, {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                      "Authorization": f"Bearer {token}"})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.fixture
def served(app_factory: Callable[..., TestApp]) -> Iterator[tuple[TestApp, int]]:
    testapp = app_factory()
    server = create_server(testapp.app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield testapp, server.effective_port
    server.close()
    thread.join(timeout=5)


def test_concurrent_donations_keep_the_sharded_counters_exact(served: tuple[TestApp, int]) -> None:
    """Donations from many threads at once (separate transactions, as under ``serve``) count each image once;
    on PostgreSQL they land in several shards, which the statistics sum."""
    testapp, port = served
    tokens = [new_client(testapp) for _ in range(DONORS)]
    pictures = [jpeg(500 + index) for index in range(DONORS)]
    start = threading.Barrier(DONORS)

    def donate(index: int) -> int:
        start.wait()
        return upload(port, tokens[index], pictures[index], "dog" if index % 2 else "cat")

    with ThreadPoolExecutor(DONORS) as pool:
        assert list(pool.map(donate, range(DONORS))) == [201] * DONORS
    stats = testapp.get("/api/v1/statistics").json
    assert stats["images"]["by_status"] == {"public": DONORS}
    assert {"label": "dog", "count": DONORS // 2} in stats["labels"]["top"]
    assert {"label": "cat", "count": DONORS // 2} in stats["labels"]["top"]
    assert counter_drifts(testapp) == []
    if postgres(testapp):
        with app_request(testapp.app.registry) as request:
            shards = request.dbsession.scalar(select(func.count()).where(StatImageStatus.status == "public"))
        assert shards > 1


def test_connections_of_two_processes_hold_different_shards(app_factory: Callable[..., TestApp],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Two apps (two engines, as two ``serve`` processes have) never share a shard on PostgreSQL; SQLite, one
    writer at a time, only keeps one process's connections apart."""
    apps = [app_factory(), app_factory()]
    if not postgres(apps[0]):
        pytest.skip("shards are claimed across processes on PostgreSQL only")
    sessions = []
    try:
        shards = []
        for app in apps:
            monkeypatch.setattr(counters, "_next_shard", itertools.count())  # each process starts afresh
            for _ in range(3):
                sessions.append(app.app.registry["dbsession_factory"]())
                shards.append(shard_of(sessions[-1]))
    finally:
        for session in sessions:
            session.close()
    assert len(set(shards)) == len(shards)


@pytest.mark.counters_unchecked("the repair leaves one shard per key; checked by hand")
def test_stats_verify_sums_the_shards_and_repair_folds_them(app: TestApp, token: str) -> None:
    donate_labels = [("dog",), ("dog", "cat")]
    for seed, labels in enumerate(donate_labels):
        app.post("/api/v1/images", params=[("label", name) for name in labels],
                 upload_files=[("image", "a.jpg", jpeg(600 + seed))], headers={"Authorization": f"Bearer {token}"},
                 status=201)
    with app_request(app.app.registry) as request:
        # whether or not a connection already wrote those shards (PostgreSQL's start at a pseudo-random one)
        write(request, text("INSERT INTO stat_image_status (status, shard, images) VALUES ('public', 31, 3) "
                            "ON CONFLICT (status, shard) DO UPDATE SET images = stat_image_status.images + 3"))
        write(request, text("INSERT INTO stat_label (label, shard, images) VALUES ('dog', 30, -2) "
                            "ON CONFLICT (label, shard) DO UPDATE SET images = stat_label.images - 2"))
    assert app.get("/api/v1/statistics").json["images"]["by_status"] == {"public": 5}
    assert sorted(counter_drifts(app)) == ["core.image_status [public]: stored 5, counted 2",
                                           "core.label_images [dog]: stored 0, counted 2"]
    recount_counters(app)
    assert counter_drifts(app) == []
    with app_request(app.app.registry) as request:
        assert list(request.dbsession.execute(select(StatImageStatus.shard, StatImageStatus.images)
                                              .where(StatImageStatus.status == "public"))) == [(0, 2)]
        assert list(request.dbsession.execute(select(StatLabel.shard, StatLabel.images)
                                              .where(StatLabel.label == "dog"))) == [(0, 2)]
    stats = app.get("/api/v1/statistics").json
    assert stats["labels"]["top"] == [{"label": "dog", "count": 2}, {"label": "cat", "count": 1}]


@pytest.fixture(params=["sqlite", "postgresql"])
def migrating_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own (on PostgreSQL one named for this test alone)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrating.sqlite'}")
        yield engine
        engine.dispose()
        return
    base = os.environ.get("IMAGEMONKEY_TEST_DB")
    if not base:
        pytest.skip("IMAGEMONKEY_TEST_DB is not set")
    name = f"{base.rsplit('/', 1)[1]}_shards_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base, pool_size=1, max_overflow=0)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.rsplit("/", 1)[0] + "/" + name, pool_size=1, max_overflow=0)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def migrate_core(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config(engine, "core")
    assert config is not None
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_the_migration_moves_the_counts_to_shard_0_and_back(migrating_engine: Engine) -> None:
    migrate_core(migrating_engine, BEFORE)
    with migrating_engine.begin() as connection:
        connection.execute(text("INSERT INTO stat_label (label, images) VALUES ('dog', 4), ('cat', 1)"))
        connection.execute(text("INSERT INTO stat_image_status (status, images) VALUES ('public', 5)"))
    migrate_core(migrating_engine, SHARDED)
    with migrating_engine.begin() as connection:
        assert sorted(connection.execute(text("SELECT label, shard, images FROM stat_label"))) == [
            ("cat", 0, 1), ("dog", 0, 4)]
        assert list(connection.execute(text("SELECT status, shard, images FROM stat_image_status"))) == [
            ("public", 0, 5)]
        connection.execute(text("INSERT INTO stat_label (label, shard, images) VALUES ('dog', 7, 2)"))
        connection.execute(text("INSERT INTO stat_image_status (status, shard, images) VALUES ('public', 3, -1)"))
    migrate_core(migrating_engine, BEFORE, down=True)
    with migrating_engine.begin() as connection:
        assert sorted(connection.execute(text("SELECT label, images FROM stat_label"))) == [("cat", 1), ("dog", 6)]
        assert list(connection.execute(text("SELECT status, images FROM stat_image_status"))) == [("public", 4)]


def migrate(engine: Engine, owner: str, revision: str, *, down: bool = False) -> None:
    config = alembic_config(engine, owner)
    assert config is not None
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


#: per plugin: its head before the shards, the migration adding them, its sharded tables (table, count column)
PLUGIN_SHARDS = {
    "validate": ("1606f6863728", "b1c3f1b1428f",
                 [("validate_label_count", "total"), ("validate_daily_votes", "votes")]),
    "annotate": ("d5e6f7a8b9c0", "f477d5dcc433", [("annotate_label_count", "outlined")]),
}
FILLED = {"validate_label_count": "INSERT INTO validate_label_count (label, unverified, verified, rejected, contested, "
                                  "total) VALUES ('dog', 3, 1, 0, 0, 4)",
          "validate_daily_votes": "INSERT INTO validate_daily_votes (day, votes) VALUES ('2026-12-06', 4)",
          "annotate_label_count": "INSERT INTO annotate_label_count (label, outlined) VALUES ('dog', 4)"}
ANOTHER_SHARD = {
    "validate_label_count": "INSERT INTO validate_label_count (label, shard, unverified, verified, rejected, "
                            "contested, total) VALUES ('dog', 5, -1, 0, 0, 0, -1)",
    "validate_daily_votes": "INSERT INTO validate_daily_votes (day, shard, votes) VALUES ('2026-12-06', 5, -1)",
    "annotate_label_count": "INSERT INTO annotate_label_count (label, shard, outlined) VALUES ('dog', 5, -1)"}


@pytest.mark.parametrize("owner", sorted(PLUGIN_SHARDS))
def test_the_plugin_migrations_move_their_counts_to_shard_0_and_back(migrating_engine: Engine, owner: str) -> None:
    before, sharded, tables = PLUGIN_SHARDS[owner]
    migrate(migrating_engine, "core", "head")
    migrate(migrating_engine, owner, before)
    with migrating_engine.begin() as connection:
        for table, _ in tables:
            connection.execute(text(FILLED[table]))
    migrate(migrating_engine, owner, sharded)
    with migrating_engine.begin() as connection:
        for table, count in tables:
            assert list(connection.execute(text(f"SELECT shard, {count} FROM {table}"))) == [(0, 4)]
            connection.execute(text(ANOTHER_SHARD[table]))
    migrate(migrating_engine, owner, before, down=True)
    with migrating_engine.begin() as connection:
        for table, count in tables:
            assert list(connection.execute(text(f"SELECT {count} FROM {table}"))) == [(3,)]
