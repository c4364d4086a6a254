"""The image hunt (``GET /api/v1/me/hunt``) at 10,000 and 1,000,000 image labels, for a contributor with no
donations and for one with 10,000 donations carrying the hunted labels.

Dataset: ``query_dataset.py`` (validate and annotate enabled), validate's per-label counters backfilled the way its
migration does (so its "most left to check" list names dog, person, cat...), and the first ``--donated`` images
given to one contributor. The hunt reads the statistics' counters, then the donor's image labels of the hunted
labels through the ``(donor_id, status)`` index, at most 20 per label, and asks validate about at most 400 of them.
JSON lines.
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
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.db.transactions import mark_changed
from imagemonkey.scripting import app_request

emit = emitter("hunt")
BACKFILL = ("INSERT INTO validate_label_count (label, unverified, verified, rejected, contested, total) "
            "SELECT label, count(*) - count(*) / 5, count(*) / 5, 0, 0, count(*) FROM image_label GROUP BY label")


def median_ms(client: TestApp, token: str, repeat: int, warmup: int = 5) -> float:
    timings = []
    for i in range(warmup + repeat):
        begin = time.perf_counter()
        client.get("/api/v1/me/hunt", headers={"Authorization": f"Bearer {token}"})
        if i >= warmup:
            timings.append((time.perf_counter() - begin) * 1000)
    return statistics.median(timings)


def measure(size: int, donated: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        images = fill(app, size)
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        newcomer = client.post("/api/v1/clients").json["token"]
        donor = client.post("/api/v1/clients").json
        with app_request(app.registry) as request:
            request.dbsession.execute(text(BACKFILL))
            request.dbsession.execute(text("UPDATE image SET donor_id = :donor WHERE id <= :n"),
                                      {"donor": int(donor["client_id"]), "n": donated})
            mark_changed(request.dbsession)
        hunted = client.get("/api/v1/me/hunt", headers={"Authorization": f"Bearer {donor['token']}"}).json
        found = sum(item["status"] != "none" for item in hunted["hunt"])
        assert found, hunted
        times = {"none": median_ms(client, newcomer, repeat), "donor": median_ms(client, donor["token"], repeat)}
        app.registry["db_engine"].dispose()
    emit("hunt_no_donations", round(times["none"], 3), "ms", image_labels=size, images=images)
    emit("hunt_donor", round(times["donor"], 3), "ms", image_labels=size, images=images, donations=donated,
         hunted=hunted["total"], donated_labels=found)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--donated", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    small = measure(args.small, min(args.donated, args.small // 3), args.repeat)
    large = measure(args.large, args.donated, args.repeat)
    emit("ratio_donor_large_to_small", round(large["donor"] / small["donor"], 2), "x", small=args.small,
         large=args.large)
    return 0


if __name__ == "__main__":
    sys.exit(main())
