"""First page of the query ``dog & ~cat & annotated:person`` at 10,000 and 1,000,000 image labels (SQLite).

Figures: the median ms of the first page through ``GET /api/v1/images?q=`` (WebTest, in process: parsing,
the indexed SQL and the JSON of 50 images with their labels) and of the SQL alone, and the 1M/10k ratio.
Targets: at most 50 ms at 1M and at most 3x the 10k figure. Dataset: ``query_dataset.py``.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import emitter
from query_dataset import build_app, fill
from webtest import TestApp

from imagemonkey.query import image_query
from imagemonkey.scripting import app_request

QUERY = "dog & ~cat & annotated:person"
emit = emitter("query")


def median_ms(run: object, repeat: int, warmup: int = 5) -> float:
    timings = []
    for i in range(warmup + repeat):
        begin = time.perf_counter()
        run()  # type: ignore[operator]
        if i >= warmup:
            timings.append((time.perf_counter() - begin) * 1000)
    return statistics.median(timings)


def measure(size: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        started = time.perf_counter()
        images = fill(app, size)
        built = time.perf_counter() - started
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        page = client.get("/api/v1/images", {"q": QUERY, "limit": 50}).json
        assert len(page["images"]) == 50, len(page["images"])
        api = median_ms(lambda: client.get("/api/v1/images", {"q": QUERY, "limit": 50}), repeat)
        with app_request(app.registry) as request:
            statement, _ = image_query(app.registry, QUERY)
            sql = median_ms(lambda: list(request.dbsession.execute(statement.limit(51))), repeat)
        app.registry["db_engine"].dispose()
    emit("first_page_api", round(api, 3), "ms", image_labels=size, images=images, query=QUERY, target_max=50,
         build_seconds=round(built, 1))
    emit("first_page_sql", round(sql, 3), "ms", image_labels=size, images=images, query=QUERY)
    return {"api": api, "sql": sql}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    small, large = measure(args.small, args.repeat), measure(args.large, args.repeat)
    for kind in ("api", "sql"):
        emit(f"ratio_{kind}_large_to_small", round(large[kind] / small[kind], 2), "x", small=args.small,
             large=args.large, **({"target_max": 3} if kind == "api" else {}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
