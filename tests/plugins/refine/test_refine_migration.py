"""Refine's migration to outlined objects' properties keeps the answers and settled values of image labels (they
become ``shape_id`` 0), lets one contributor answer the image label and a shape of it, and goes back down."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import alembic_config, upgrade

NOW = "'2026-01-01 00:00:00'"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path, worker_id: str) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
        yield made
        made.dispose()
        return
    if not os.environ.get("IMAGEMONKEY_TEST_DB"):
        pytest.skip("IMAGEMONKEY_TEST_DB is not set")
    base, name = os.environ["IMAGEMONKEY_TEST_DB"], f"refine_migration_{worker_id}"
    admin = make_engine(base, pool_size=1, max_overflow=0)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    made = make_engine(base.rsplit("/", 1)[0] + "/" + name, pool_size=1, max_overflow=0)
    yield made
    made.dispose()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def move(engine: Engine, how: str, revision: str) -> None:
    config = alembic_config(engine, "refine")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, how)(config, revision)


def test_answers_keep_their_image_labels_and_shapes_get_their_own(engine: Engine) -> None:
    upgrade(engine, [])
    move(engine, "upgrade", "040762741562")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO image (id, status, format, width, height, upload_sha256, original_key, "
                                "medium_key, thumb_key, phash, phash_b0, phash_b1, phash_b2, label_count, created_at) "
                                f"VALUES (1, 'public', 'jpeg', 10, 10, 'u', 'o', 'm', 't', 0, 0, 0, 0, 1, {NOW})"))
        connection.execute(text("INSERT INTO image_label (id, image_id, label, created_at) "
                                f"VALUES (1, 1, 'dog', {NOW})"))
        connection.execute(text(f"INSERT INTO contributor (id, kind, role, blocked, created_at) "
                                f"VALUES (1, 'client', 'contributor', false, {NOW})"))
        connection.execute(text("INSERT INTO refine_answer (image_label_id, image_id, property, value, contributor_id, "
                                f"created_at) VALUES (1, 1, 'color', 'brown', 1, {NOW})"))
        connection.execute(text("INSERT INTO refine_settled (image_label_id, image_id, label, property, value, "
                                f"answers, settled_at) VALUES (1, 1, 'dog', 'color', 'brown', 1, {NOW})"))
    upgrade(engine, ["refine"])
    insert_shape = text("INSERT INTO refine_answer (image_label_id, shape_id, image_id, property, value, "
                        f"contributor_id, created_at) VALUES (1, 7, 1, 'color', 'black', 1, {NOW})")
    with engine.begin() as connection:
        assert connection.execute(text("SELECT shape_id, value FROM refine_answer")).all() == [(0, "brown")]
        assert connection.execute(text("SELECT shape_id, value FROM refine_settled")).all() == [(0, "brown")]
        connection.execute(insert_shape)  # the same contributor on one outlined dog of the image label
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert_shape)  # but once per shape
    move(engine, "downgrade", "040762741562")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM refine_answer")).all() == [("brown",)]
    engine.dispose()
