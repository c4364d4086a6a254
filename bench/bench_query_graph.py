"""First page of the label-graph queries at 10,000 and 1,000,000 image labels (SQLite): ``any:animal & ~cat``,
``unlabeled``, ``labels >= 3`` and ``annotations = 0 & any:vehicle``.

Figures per query and size: the median ms of the first page through ``GET /api/v1/images?q=`` (WebTest, in
process: parsing, the indexed SQL and the JSON of 50 images with their labels), of its SQL alone (the
statement the API runs for a visitor: public images), and the 1M/10k ratios.
Targets: at most 50 ms at 1M and at most 3x the 10k figure. Dataset: ``query_dataset.py`` with every 20th
image unlabeled (``unlabeled`` then matches 5% of the images).
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
from webtest import TestApp

from imagemonkey.models import Image
from imagemonkey.query import image_query
from imagemonkey.scripting import app_request

QUERIES = ("any:animal & ~cat", "unlabeled", "labels >= 3", "annotations = 0 & any:vehicle")
UNLABELED_EVERY = 20
emit = emitter("query_graph")


def measure(size: int, repeat: int) -> dict[tuple[str, str], float]:
    """The first page's median ms (API and SQL) for each query on a fresh dataset of ``size`` image labels."""
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        started = time.perf_counter()
        images = fill(app, size, unlabeled_every=UNLABELED_EVERY)
        built = time.perf_counter() - started
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        for query in QUERIES:
            page = client.get("/api/v1/images", {"q": query, "limit": 50}).json
            assert len(page["images"]) == 50, (query, len(page["images"]))
            api = median_ms(lambda q=query: client.get("/api/v1/images", {"q": q, "limit": 50}), repeat)
            with app_request(app.registry) as request:
                statement, _ = image_query(app.registry, query)
                statement = statement.where(Image.status == "public").limit(51)
                sql = median_ms(lambda s=statement, r=request: list(r.dbsession.execute(s)), repeat)
            found[(query, "api")], found[(query, "sql")] = api, sql
            emit("first_page_api", round(api, 3), "ms", image_labels=size, images=images, query=query,
                 target_max=50, build_seconds=round(built, 1))
            emit("first_page_sql", round(sql, 3), "ms", image_labels=size, images=images, query=query)
        app.registry["db_engine"].dispose()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    small, large = measure(args.small, args.repeat), measure(args.large, args.repeat)
    for query in QUERIES:
        for kind in ("api", "sql"):
            emit(f"ratio_{kind}_large_to_small", round(large[(query, kind)] / small[(query, kind)], 2), "x",
                 query=query, small=args.small, large=args.large, **({"target_max": 3} if kind == "api" else {}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
