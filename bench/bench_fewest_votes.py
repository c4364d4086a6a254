"""First page of ``GET /api/v1/images?order=fewest_votes`` (validate) at 10,000 and 1,000,000 image labels, SQLite or
PostgreSQL (``--database postgresql://...``, a database this bench empties).

Dataset: ``query_dataset.fill`` (about 2.5 labels per image), one ``validate_subject`` per image label with 0 to 5
votes drawn at random (bulk ``INSERT ... SELECT``, then ``ANALYZE``). Figures per size: the median ms of the first
page through the API (WebTest, in process: 50 images with labels), of a page deep in the order (the cursor of
the first image with 3 votes) and of the first page of ``q=dog`` in that order; then the 1M/10k ratios of the
first page. Target: under 50 ms at 1M and at most 3x the 10k figure (the same as the query language's).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench_query import median_ms
from common import emitter
from query_dataset import build_app, fill
from sqlalchemy import select, text
from webtest import TestApp

from imagemonkey.db.transactions import mark_changed
from imagemonkey.models import Image
from imagemonkey.scripting import app_request
from imagemonkey.services.browse_orders import browse_orders
from imagemonkey.services.pagination import encode_cursor

emit = emitter("fewest_votes")
RANDOM_VOTES = {"sqlite": "abs(random()) % 6", "postgresql": "floor(random() * 6)::int"}


def add_subjects(app: object) -> None:
    """One image-label subject per image label, with random vote counts."""
    registry = app.registry  # type: ignore[attr-defined]
    with app_request(registry) as request:
        votes = RANDOM_VOTES[request.dbsession.get_bind().dialect.name]
        request.dbsession.execute(text(
            "INSERT INTO validate_subject (kind, subject_id, image_id, image_label_id, label, image_status, state, "
            "confidence, yes_count, no_count, unsure_count, vote_count, queue, random_key, updated_at) "
            f"SELECT 'image_label', id, image_id, id, label, 'public', 'unverified', 0.5, 0, 0, 0, {votes}, 0, 0.5, "
            "created_at FROM image_label"))
        mark_changed(request.dbsession)
    with app_request(registry) as request:
        request.dbsession.execute(text("ANALYZE"))
        mark_changed(request.dbsession)


def measure(size: int, repeat: int, url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), url)
        started = time.perf_counter()
        fill(app, size)
        add_subjects(app)
        built = time.perf_counter() - started
        with app_request(app.registry) as request:
            deep = request.dbsession.execute(text(
                "SELECT min(image_id) FROM validate_subject WHERE vote_count = 3")).scalar_one()
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        cases = {"first_page": {}, "deep_page": {"cursor": encode_cursor([3, deep])}, "first_page_dog": {"q": "dog"}}
        found = {}
        for figure, params in cases.items():
            params = {"order": "fewest_votes", "limit": 50, **params}
            assert len(client.get("/api/v1/images", params).json["images"]) == 50
            found[figure] = median_ms(lambda params=params: client.get("/api/v1/images", params), repeat)
        with app_request(app.registry) as request:
            statement = browse_orders(app.registry)["fewest_votes"].order(
                select(Image).where(Image.status == "public"), None).limit(51)
            found["first_page_sql"] = median_ms(lambda: list(request.dbsession.execute(statement)), repeat)
        database = app.registry["db_engine"].dialect.name
        app.registry["db_engine"].dispose()
    for figure, value in found.items():
        emit(figure, round(value, 3), "ms", image_labels=size, database=database, target_max=50,
             build_seconds=round(built, 1))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", help="a PostgreSQL URL (its public schema is dropped); SQLite without it")
    args = parser.parse_args()
    small, large = measure(args.small, args.repeat, args.database), measure(args.large, args.repeat, args.database)
    for figure in small:
        emit(f"ratio_{figure}_large_to_small", round(large[figure] / small[figure], 2), "x", small=args.small,
             large=args.large, database="postgresql" if args.database else "sqlite",
             **({"target_max": 3} if figure == "first_page" else {}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
