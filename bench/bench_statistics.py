"""The statistics answer (``GET /api/v1/statistics`` and the ``/statistics`` page) at 10,000 and 1,000,000 labels.

Dataset: ``query_dataset.py`` (validate and annotate enabled; its inserts keep core's image and label
counters), then the plugins' counters filled the way the migrations backfill them (one ``GROUP BY``
each), plus a year of per-day counters for six kinds and the votes. A request reads only counters, so
the figure should not grow with the data. Target: at most 100 ms at 1M. JSON lines.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import emitter
from query_dataset import build_app, fill
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.db.transactions import mark_changed
from imagemonkey.scripting import app_request

emit = emitter("statistics")
KINDS = ["image.donate", "label.add", "validate.vote", "annotate.revision", "annotate.shapes", "contributor.active"]
BACKFILL = [  # core's image and label counters are kept by query_dataset's inserts already
    "INSERT INTO annotate_label_count (label, outlined) SELECT label, count(*) FROM annotate_annotation "
    "WHERE shape_count > 0 GROUP BY label",
    "INSERT INTO validate_label_count (label, unverified, verified, rejected, contested, total) "
    "SELECT label, count(*) - count(*) / 5, count(*) / 5, 0, 0, count(*) FROM image_label GROUP BY label",
]


def fill_counters(app: object, seed: int = 3) -> None:
    rng = random.Random(seed)
    today = datetime.now(UTC).date()
    days = [(today - timedelta(days=back)).isoformat() for back in range(365)]
    with app_request(app.registry) as request:  # type: ignore[attr-defined]
        connection = request.dbsession.connection()
        for statement in BACKFILL:
            connection.execute(text(statement))
        connection.execute(text("INSERT INTO stat_daily (day, kind, count) VALUES (:day, :kind, :count)"),
                           [{"day": day, "kind": kind, "count": rng.randint(0, 5000)}
                            for day in days for kind in KINDS])
        connection.execute(text("INSERT INTO validate_daily_votes (day, votes) VALUES (:day, :votes)"),
                           [{"day": day, "votes": rng.randint(0, 5000)} for day in days])
        mark_changed(request.dbsession)


def median_ms(client: TestApp, path: str, repeat: int, warmup: int = 5) -> float:
    timings = []
    for i in range(warmup + repeat):
        begin = time.perf_counter()
        client.get(path)
        if i >= warmup:
            timings.append((time.perf_counter() - begin) * 1000)
    return statistics.median(timings)


def measure(size: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        images = fill(app, size)
        fill_counters(app)
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        assert client.get("/api/v1/statistics").json["labels"]["image_labels"] == size
        api = median_ms(client, "/api/v1/statistics", repeat)
        page = median_ms(client, "/statistics", repeat)
        app.registry["db_engine"].dispose()
    emit("api_statistics", round(api, 3), "ms", image_labels=size, images=images, target_max=100)
    emit("statistics_page", round(page, 3), "ms", image_labels=size, images=images)
    return {"api": api, "page": page}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    small, large = measure(args.small, args.repeat), measure(args.large, args.repeat)
    emit("ratio_api_large_to_small", round(large["api"] / small["api"], 2), "x", small=args.small, large=args.large)
    return 0


if __name__ == "__main__":
    sys.exit(main())
