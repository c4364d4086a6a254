"""Task selection latency: ``imagemonkey_validate.selection.pick`` with 10,000 and 1,000,000 subjects on SQLite.

Subjects are bulk-inserted (spread over 50 labels, 1,000 images, vote counts 0-4, some settled),
the contributor has already voted on 2% of them (at most 2,000), and each figure is the median of many picks
(half with a label, half without). Prints JSON lines; target: <= 10 ms at 1M and <= 3x the 10k figure.
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_validate_crowd import LABELS, build_app, image_rows
from sqlalchemy import insert

from imagemonkey.models import Contributor, Image
from imagemonkey.scripting import app_request
from imagemonkey_validate import selection
from imagemonkey_validate.models import Vote

IMAGES = 1000
CHUNK = 50_000
PICKS = 400
WARMUP = 50
ALL_LABELS = [f"{name}{i}" if i else name for i in range(5) for name in LABELS]


def subject_rows(start: int, count: int, rng: random.Random, donor_id: int) -> list[dict[str, Any]]:
    rows = []
    for sid in range(start, start + count):
        votes = rng.randint(0, 4)
        settled = rng.random() < 0.3
        rows.append({"kind": "image_label", "subject_id": sid, "image_id": 1 + sid % IMAGES,
                     "label": ALL_LABELS[sid % len(ALL_LABELS)], "owner_id": donor_id, "donor_id": donor_id,
                     "image_status": "public", "state": "verified" if settled else "unverified",
                     "confidence": 0.5, "yes_count": votes, "no_count": 0, "unsure_count": 0, "vote_count": votes,
                     "queue": None if settled else 0, "random_key": rng.random()})
    return rows


def measure(size: int, seed: int = 7) -> tuple[float, float]:
    """(median ms, seconds to build) for ``size`` subjects."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        started = time.perf_counter()
        with app_request(app.registry) as request:
            db = request.dbsession
            donor, voter = Contributor(kind="client"), Contributor(kind="client")
            db.add_all([donor, voter])
            db.flush()
            db.execute(insert(Image), image_rows(1, IMAGES, donor.id))
            connection = db.connection()
            columns = list(subject_rows(1, 1, rng, donor.id)[0])
            sql = (f"INSERT INTO validate_subject ({', '.join(columns)}, updated_at) "
                   f"VALUES ({', '.join('?' * len(columns))}, CURRENT_TIMESTAMP)")
            for start in range(1, size + 1, CHUNK):
                rows = subject_rows(start, min(CHUNK, size + 1 - start), rng, donor.id)
                connection.exec_driver_sql(sql, [tuple(row.values()) for row in rows])
            voted = set(rng.sample(range(1, size + 1), min(2000, size // 50)))
            connection.execute(insert(Vote), [{"contributor_id": voter.id, "kind": "image_label", "subject_id": sid,
                                               "vote": "yes", "moderator": False} for sid in voted])
        built = time.perf_counter() - started
        timings = []
        with app_request(app.registry) as request:
            db = request.dbsession
            contributor = db.get(Contributor, voter.id)
            for i in range(WARMUP + PICKS):
                label = ALL_LABELS[i % len(ALL_LABELS)] if i % 2 else None
                begin = time.perf_counter()
                picked = selection.pick(db, contributor, n=1, label=label, rng=rng)
                if i >= WARMUP:
                    timings.append((time.perf_counter() - begin) * 1000)
                assert picked and picked[0].subject_id not in voted
                db.expunge_all()
                contributor = db.get(Contributor, voter.id)
        app.registry["db_engine"].dispose()
    return statistics.median(timings), built


def main() -> int:
    results = {}
    for size in (10_000, 1_000_000):
        median, built = measure(size)
        results[size] = median
        print(json.dumps({"bench": "validate_tasks", "figure": "pick_median", "subjects": size,
                          "value": round(median, 3), "unit": "ms", "build_seconds": round(built, 1)}), flush=True)
    print(json.dumps({"bench": "validate_tasks", "figure": "ratio_1m_to_10k",
                      "value": round(results[1_000_000] / results[10_000], 2), "unit": "x"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
