"""A synthetic dataset for the website benchmarks: N image labels over images, some outlined, on a fresh SQLite app.

Each image gets dog (30%), cat (20%), person (30%) and other catalog labels until the total
reaches N image labels (about 2.5 labels per image); half the person labels of even images
have an outline (an ``annotate_annotation`` row with one shape). Rows go in with bulk
``INSERT`` statements, so a million image labels take well under a minute.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from sqlalchemy import text

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.query.dataset import insert_images
from imagemonkey.scripting import app_request

PLUGINS = ["validate", "annotate"]
SETTINGS = {"imagemonkey.rate_limit.clients": "off", "imagemonkey.rate_limit.writes": "off",
            "imagemonkey.rate_limit.requests": "off", "imagemonkey.moderation": "post"}
COMMON = {"dog": 0.3, "cat": 0.2, "person": 0.3}
OTHERS = ["car", "truck", "tree", "grass", "chair", "table", "bird", "bicycle", "cup", "bottle"]
CHUNK = 50_000


def build_app(folder: Path, url: str | None = None) -> Any:
    """A migrated app with validate and annotate under ``folder``: SQLite there, or the database at ``url`` (a
    PostgreSQL database is emptied first)."""
    url = url or f"sqlite:///{folder / 'bench.sqlite'}"
    engine = make_engine(url)
    if url.startswith("postgresql"):
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine, PLUGINS)
    engine.dispose()
    return make_app({**SETTINGS, "imagemonkey.data_dir": str(folder), "sqlalchemy.url": url,
                     "imagemonkey.plugins": " ".join(PLUGINS)})


def labels_of_image(rng: random.Random) -> list[str]:
    """About 2.5 labels: the common ones by their odds, the rest from the others."""
    names = [name for name, odds in COMMON.items() if rng.random() < odds]
    return names + rng.sample(OTHERS, max(1, rng.randint(1, 3) - len(names)) if len(names) < 3 else 0)


def fill(app: Any, image_labels: int, seed: int = 7, unlabeled_every: int = 0) -> int:
    """Insert images until there are ``image_labels`` image labels; outline some person labels. Returns images.

    ``unlabeled_every``: every n-th image has no labels at all (0: none)."""
    rng = random.Random(seed)
    image_id, total, batch = 0, 0, []
    registry = app.registry
    while total < image_labels:
        image_id += 1
        unlabeled = unlabeled_every and image_id % unlabeled_every == 0
        names = [] if unlabeled else labels_of_image(rng)[: image_labels - total]
        total += len(names)
        batch.append((image_id, rng.choice((640, 1024, 2048)), 480, "public", names))
        if len(batch) >= CHUNK or total >= image_labels:
            with app_request(registry) as request:
                insert_images(request.dbsession, batch)
            batch = []
    with app_request(registry) as request:
        request.dbsession.execute(text(
            "INSERT INTO annotate_annotation (image_label_id, image_id, label, revision, last_revision, shapes, "
            "shape_count, created_at, updated_at) SELECT id, image_id, label, 1, 1, '[]', 1, created_at, created_at "
            "FROM image_label WHERE label = 'person' AND image_id % 2 = 0"))
        from imagemonkey.db.transactions import mark_changed
        mark_changed(request.dbsession)
    return image_id
