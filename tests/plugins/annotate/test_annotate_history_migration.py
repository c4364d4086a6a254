"""The migration to shared revision shapes keeps every revision's shapes (SQLite)."""
from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from sqlalchemy import text

from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import alembic_config, upgrade


def test_existing_revisions_keep_their_shapes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine, [])
    config = alembic_config(engine, "annotate")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "c767d58f566c")
    rect = {"type": "rect", "x": 1.0, "y": 2.0, "width": 3.0, "height": 4.0}
    moved = {**rect, "x": 5.0}
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO image (id, status, format, width, height, upload_sha256, original_key, "
                                "medium_key, thumb_key, phash, phash_b0, phash_b1, phash_b2, label_count, created_at) "
                                "VALUES (1, 'public', 'jpeg', 10, 10, 'u', 'o', 'm', 't', 0, 0, 0, 0, 1, "
                                "'2026-01-01 00:00:00')"))
        connection.execute(text("INSERT INTO image_label (id, image_id, label, created_at) "
                                "VALUES (1, 1, 'dog', '2026-01-01 00:00:00')"))
        connection.execute(text("INSERT INTO annotate_annotation (id, image_label_id, image_id, label, revision, "
                                "last_revision, shapes, shape_count, created_at, updated_at) "
                                "VALUES (1, 1, 1, 'dog', 2, 2, :s, 2, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"),
                           {"s": json.dumps([rect, moved])})
        for number, shapes in ((1, [rect, rect]), (2, [rect, moved])):
            connection.execute(text("INSERT INTO annotate_revision (annotation_id, revision, shapes, shape_count, "
                                    "created_at) VALUES (1, :n, :s, 2, '2026-01-01 00:00:00')"),
                               {"n": number, "s": json.dumps(shapes)})
    upgrade(engine, ["annotate"])
    with engine.connect() as connection:
        shapes = dict(connection.execute(text("SELECT id, data FROM annotate_shape")).all())
        revisions = connection.execute(text("SELECT revision, shape_ids FROM annotate_revision ORDER BY revision"))
        restored = {number: [json.loads(shapes[i]) for i in json.loads(ids)] for number, ids in revisions}
    assert len(shapes) == 2
    assert restored == {1: [rect, rect], 2: [rect, moved]}
    engine.dispose()
