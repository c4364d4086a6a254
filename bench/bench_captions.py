"""First page of ``caption:"red car"`` at 10,000 and 1,000,000 captions (SQLite's FTS5, or PostgreSQL with
``--database postgresql://...``, a database this bench empties).

Dataset: one caption per public image, 4 to 9 words drawn uniformly from a vocabulary of 420 words (20 everyday
ones such as "red" and "car", 400 made-up ones); about 2% of the captions hold the phrase "red car", others hold
"red" or "car" apart, which the phrase must not match. (With a 20-word vocabulary, where "red" is in a third of
all captions, the phrase check reads far longer position lists: run ``--vocabulary 20`` to see that case.)
Figures per size: the median ms of the first page through ``GET /api/v1/images?q=`` (WebTest, in process:
parsing, the FTS5 lookup, the JSON of 50 images with labels and captions) and of the SQL alone, and the 1M/10k
ratios. The phrase drives the query (``core/query/caption.py``): a page reads matches in image id order and stops.
Targets: at most 50 ms at 1M and at most 3x the 10k figure.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from bench_query import median_ms
from common import emitter
from query_dataset import build_app
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.db.transactions import mark_changed
from imagemonkey.models.types import utcnow
from imagemonkey.query import image_query
from imagemonkey.query.dataset import insert_images
from imagemonkey.scripting import app_request

QUERY = 'caption:"red car"'
WORDS = ("a", "the", "blue", "red", "green", "dog", "cat", "car", "truck", "house", "tree", "street", "near", "on",
         "big", "small", "parked", "running", "old", "new")
FILLER = tuple(f"w{n}" for n in range(400))
CHUNK = 50_000
emit = emitter("captions")


def sentence(rng: random.Random, vocabulary: tuple[str, ...]) -> str:
    words = [rng.choice(vocabulary) for _ in range(rng.randint(4, 9))]
    if rng.random() < 0.02:
        at = rng.randrange(len(words) - 1)
        words[at:at + 2] = ["red", "car"]
    return " ".join(words)


def fill(app: object, captions: int, vocabulary: tuple[str, ...], seed: int = 24) -> None:
    """``captions`` public images with one caption each, in bulk inserts (the FTS5 triggers index them)."""
    rng = random.Random(seed)
    registry = app.registry  # type: ignore[attr-defined]
    for start in range(1, captions + 1, CHUNK):
        ids = range(start, min(start + CHUNK, captions + 1))
        with app_request(registry) as request:
            insert_images(request.dbsession, [(i, 640, 480, "public", ["dog"] if i % 3 else []) for i in ids])
            now = utcnow()
            request.dbsession.execute(text(
                "INSERT INTO caption (id, image_id, text, language, up, down, locked, created_at) "
                "VALUES (:id, :id, :text, 'en', 0, 0, :locked, :created_at)"),
                [{"id": i, "text": sentence(rng, vocabulary), "locked": False, "created_at": now} for i in ids])
            mark_changed(request.dbsession)
    with app_request(registry) as request:  # fresh planner statistics, as autovacuum would gather them
        request.dbsession.execute(text("ANALYZE"))
        mark_changed(request.dbsession)


def measure(size: int, repeat: int, vocabulary: tuple[str, ...], url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), url)
        started = time.perf_counter()
        fill(app, size, vocabulary)
        built = time.perf_counter() - started
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        page = client.get("/api/v1/images", {"q": QUERY, "limit": 50}).json
        assert len(page["images"]) == 50, len(page["images"])
        api = median_ms(lambda: client.get("/api/v1/images", {"q": QUERY, "limit": 50}), repeat)
        with app_request(app.registry) as request:
            statement, _ = image_query(app.registry, QUERY)
            sql = median_ms(lambda: list(request.dbsession.execute(statement.limit(51))), repeat)
        database = app.registry["db_engine"].dialect.name
        app.registry["db_engine"].dispose()
    emit("first_page_api", round(api, 3), "ms", captions=size, query=QUERY, vocabulary=len(vocabulary), target_max=50,
         build_seconds=round(built, 1), database=database)
    emit("first_page_sql", round(sql, 3), "ms", captions=size, query=QUERY, vocabulary=len(vocabulary),
         database=database)
    return {"api": api, "sql": sql}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--vocabulary", type=int, choices=(20, 420), default=420)
    parser.add_argument("--database", help="a PostgreSQL URL (its public schema is dropped); SQLite without it")
    args = parser.parse_args()
    vocabulary = WORDS + FILLER if args.vocabulary == 420 else WORDS
    small = measure(args.small, args.repeat, vocabulary, args.database)
    large = measure(args.large, args.repeat, vocabulary, args.database)
    database = "postgresql" if args.database else "sqlite"
    for kind in ("api", "sql"):
        emit(f"ratio_{kind}_large_to_small", round(large[kind] / small[kind], 2), "x", small=args.small,
             large=args.large, vocabulary=len(vocabulary), database=database,
             **({"target_max": 3} if kind == "api" else {}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
