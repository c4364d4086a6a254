"""Migrations on an empty database produce exactly the models, per owner, on SQLite and PostgreSQL."""
from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from imagemonkey.db.engine import make_engine
from imagemonkey.db.meta import Base, is_search_object
from imagemonkey.db.migrate import script_location, upgrade, version_table
from imagemonkey.plugins import installed_plugins


def plugins_with_models() -> list[str]:
    """Every installed plugin, imported so that its tables are on the metadata."""
    names = sorted(installed_plugins())
    for name in names:
        module = installed_plugins()[name].load()
        try:
            importlib.import_module(f"{module.__name__}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"{module.__name__}.models":
                raise
    return names


def differences(engine: Engine) -> list[object]:
    def include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        return not (type_ == "table" and (name or "").startswith("alembic_version")) and not is_search_object(name)

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include})
        return compare_metadata(context, Base.metadata)


def schema_snapshot(engine: Engine) -> dict[str, object]:
    inspector = inspect(engine)
    snapshot: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        snapshot[table] = (sorted(c["name"] for c in inspector.get_columns(table)),
                           sorted(i["name"] for i in inspector.get_indexes(table)))
    with engine.connect() as connection:
        for table in snapshot:
            if table.startswith("alembic_version"):
                snapshot[table] = connection.execute(text(f"SELECT version_num FROM {table}")).scalars().all()
    return snapshot


def postgres_engine(worker_id: str) -> Iterator[Engine]:
    base = os.environ["IMAGEMONKEY_TEST_DB"]
    name = f"imagemonkey_migrations_{worker_id}"
    admin = make_engine(base, pool_size=1, max_overflow=0)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.rsplit("/", 1)[0] + "/" + name, pool_size=1, max_overflow=0)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path, worker_id: str) -> Iterator[Engine]:
    if request.param == "postgresql":
        if not os.environ.get("IMAGEMONKEY_TEST_DB"):
            pytest.skip("IMAGEMONKEY_TEST_DB is not set")
        yield from postgres_engine(worker_id)
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    yield engine
    engine.dispose()


def test_migrations_match_models(empty_engine: Engine) -> None:
    plugins = plugins_with_models()
    migrated = upgrade(empty_engine, plugins)
    assert migrated[0] == "core"
    assert differences(empty_engine) == []


def test_each_owner_has_its_own_version_table(empty_engine: Engine) -> None:
    plugins = plugins_with_models()
    migrated = upgrade(empty_engine, plugins)
    owners_with_migrations = ["core"] + [p for p in plugins if script_location(p) is not None]
    assert migrated == owners_with_migrations
    tables = set(inspect(empty_engine).get_table_names())
    assert "alembic_version" not in tables
    assert {t for t in tables if t.startswith("alembic_version")} == {version_table(o) for o in migrated}
    with empty_engine.connect() as connection:
        for owner in migrated:
            assert len(connection.execute(text(f"SELECT version_num FROM {version_table(owner)}")).all()) == 1


def test_upgrade_twice_is_a_no_op(empty_engine: Engine) -> None:
    plugins = plugins_with_models()
    first = upgrade(empty_engine, plugins)
    before = schema_snapshot(empty_engine)
    assert upgrade(empty_engine, plugins) == first
    assert schema_snapshot(empty_engine) == before
    assert differences(empty_engine) == []


def test_core_alone_then_plugins_later(empty_engine: Engine) -> None:
    """Enabling plugins later migrates only them; core's history is untouched."""
    upgrade(empty_engine, [])
    core_only = schema_snapshot(empty_engine)
    assert set(core_only) >= {"image", "image_label", "contributor", "contribution", version_table("core")}
    plugins = plugins_with_models()
    upgrade(empty_engine, plugins)
    after = schema_snapshot(empty_engine)
    for table, shape in core_only.items():
        assert after[table] == shape
