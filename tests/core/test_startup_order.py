"""A settings error stops start-up before any migration changes the database."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from imagemonkey.app import make_app
from imagemonkey.cli import main
from imagemonkey.db.engine import make_engine
from imagemonkey.declared_settings import SettingError


@pytest.fixture
def empty_database(tmp_path: Path, worker_id: str) -> Iterator[str]:
    """A database with no tables: a PostgreSQL one of its own under ``IMAGEMONKEY_TEST_DB``, else a SQLite file."""
    base = os.environ.get("IMAGEMONKEY_TEST_DB")
    if not base:
        yield f"sqlite:///{tmp_path / 'site.sqlite'}"
        return
    name = f"imagemonkey_startup_{worker_id}"
    admin = make_engine(base, pool_size=1, max_overflow=0)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def tables_of(url: str) -> set[str]:
    """The tables in the database at ``url``."""
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def write_ini(tmp_path: Path, url: str, **settings: str) -> Path:
    """A site's ini file with ``validate`` enabled and ``settings``."""
    ini = tmp_path / "site.ini"
    lines = {"use": "egg:imagemonkey", "sqlalchemy.url": url, "imagemonkey.plugins": "validate",
             "imagemonkey.data_dir": str(tmp_path / "var"), **settings}
    ini.write_text("[app:main]\n" + "".join(f"{key} = {value}\n" for key, value in lines.items()))
    return ini


@pytest.mark.parametrize("bad", [{"validate.max_vote": "3"}, {"validate.min_votes": "many"}],
                         ids=["misspelled", "invalid"])
@pytest.mark.parametrize("command", [["serve", "--port", "9"], ["db", "upgrade"]])
def test_a_settings_error_stops_the_command_before_migrating(
        tmp_path: Path, empty_database: str, bad: dict[str, str], command: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    ini = write_ini(tmp_path, empty_database, **bad)
    assert main([*command, "--config", str(ini)]) == 2
    assert next(iter(bad)) in capsys.readouterr().err
    assert tables_of(empty_database) == set()  # no core or validate tables, no alembic_version_* tables


def test_the_app_factory_refuses_a_settings_error_on_an_untouched_database(tmp_path: Path,
                                                                           empty_database: str) -> None:
    with pytest.raises(SettingError, match="validate.max_vote"):
        make_app({"sqlalchemy.url": empty_database, "imagemonkey.plugins": "validate",
                  "imagemonkey.data_dir": str(tmp_path / "var"), "validate.max_vote": "3"})
    assert tables_of(empty_database) == set()


def test_good_settings_still_migrate(tmp_path: Path, empty_database: str) -> None:
    assert main(["db", "upgrade", "--config", str(write_ini(tmp_path, empty_database))]) == 0
    tables = tables_of(empty_database)
    assert {"image", "validate_vote", "alembic_version_core", "alembic_version_validate"} <= tables
