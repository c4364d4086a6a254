"""First page of ``dog[color=brown]`` at 10,000 and 1,000,000 image labels (SQLite), and the next refine task.

Dataset: ``query_dataset.py`` (dog on 30% of the images) with refine enabled; a third of the dog image labels have a
settled colour (one of six, so about 5.5% of the dogs are brown), inserted in bulk. Figures: the median ms of the
first page through ``GET /api/v1/images?q=`` (WebTest, in process), of ``GET /api/v1/tasks/next?kind=refine``
for a fresh contributor, and the 1M/10k ratios. Targets: at most 50 ms at 1M and at most 3x the 10k figure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import query_dataset
from bench_query import median_ms
from common import emitter
from query_dataset import fill
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.scripting import app_request

QUERY = "dog[color=brown]"
emit = emitter("refine_query")


def settle_a_third(app: Any) -> None:
    """Every third dog image label gets a settled colour, in one INSERT ... SELECT."""
    with app_request(app.registry) as request:
        request.dbsession.execute(text(
            "INSERT INTO refine_settled (image_label_id, image_id, label, property, value, answers, settled_at) "
            "SELECT id, image_id, label, 'color', CASE (id / 3) % 6 WHEN 0 THEN 'black' WHEN 1 THEN 'brown' "
            "WHEN 2 THEN 'white' WHEN 3 THEN 'grey' WHEN 4 THEN 'golden' ELSE 'mixed' END, 3, created_at "
            "FROM image_label WHERE label = 'dog' AND id % 3 = 0"))
        from imagemonkey.db.transactions import mark_changed
        mark_changed(request.dbsession)


def measure(size: int, repeat: int) -> dict[str, float]:
    """Median ms of the query's first page and of a refine task on a fresh dataset of ``size`` image labels."""
    query_dataset.PLUGINS = ["validate", "annotate", "refine"]
    with tempfile.TemporaryDirectory() as tmp:
        app = query_dataset.build_app(Path(tmp))
        images = fill(app, size)
        settle_a_third(app)
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        page = client.get("/api/v1/images", {"q": QUERY, "limit": 50}).json
        assert len(page["images"]) == 50, len(page["images"])
        token = client.post("/api/v1/clients").json["token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/tasks/next", {"kind": "refine"}, headers=headers).json["task"]
        found = {"query": median_ms(lambda: client.get("/api/v1/images", {"q": QUERY, "limit": 50}), repeat),
                 "task": median_ms(lambda: client.get("/api/v1/tasks/next", {"kind": "refine"}, headers=headers),
                                   repeat)}
        emit("first_page_api", round(found["query"], 3), "ms", image_labels=size, images=images, query=QUERY,
             target_max=50)
        emit("next_refine_task_api", round(found["task"], 3), "ms", image_labels=size, images=images)
        app.registry["db_engine"].dispose()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    small, large = measure(args.small, args.repeat), measure(args.large, args.repeat)
    for figure in ("query", "task"):
        emit(f"ratio_{figure}_large_to_small", round(large[figure] / small[figure], 2), "x", small=args.small,
             large=args.large, target_max=3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
