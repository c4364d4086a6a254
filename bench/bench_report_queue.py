"""The moderation queue at scale: the first page of ``GET /api/v1/moderation/queue`` (through the app,
WebTest, moderator token) with 1,000 and 100,000 open items, for each order and with a reason filter.

Items are spread over the three kinds and seven reasons, with report counts 0..20; a real, migrated
SQLite database (``--postgres URL`` for PostgreSQL as well). Median of ``--repeat`` requests per case,
the cases interleaved. Prints JSON lines. ``python bench/bench_report_queue.py [--repeat 30]``
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import emitter
from imagemonkey_report.models import QueueItem
from imagemonkey_report.settings import REASONS
from sqlalchemy import insert, text
from webtest import TestApp

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.models import Contributor, Image
from imagemonkey.models.types import utcnow
from imagemonkey.scripting import app_request
from imagemonkey.services.near_duplicates import band_columns
from imagemonkey.testing import TEST_SETTINGS, auth, new_moderator

KINDS = ("pending", "reported", "screened")
CASES = {"oldest": {}, "most_reported": {"order": "most_reported"}, "oldest_reason": {"reason": "hate"},
         "most_reported_kind": {"order": "most_reported", "kind": "screened"}}
BATCH = 5000


def build(url: str, folder: Path, items: int) -> TestApp:
    engine = make_engine(url)
    if url.startswith("postgresql"):
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine, ["report"])
    engine.dispose()
    app = make_app({**TEST_SETTINGS, "imagemonkey.data_dir": str(folder), "sqlalchemy.url": url,
                    "imagemonkey.plugins": "report", "report.screening": "false"})
    rng = random.Random(items)
    start = utcnow() - timedelta(days=30)
    with app_request(app.registry) as request:
        db = request.dbsession
        donors = [Contributor(kind="client") for _ in range(100)]
        db.add_all(donors)
        db.flush()
        for first in range(1, items + 1, BATCH):
            ids = range(first, min(items, first + BATCH - 1) + 1)
            db.execute(insert(Image), [
                {"id": i, "status": "quarantined", "format": "jpeg", "width": 64, "height": 64,
                 "upload_sha256": f"{i:064x}", "original_key": f"{i:064x}", "medium_key": f"{i:064x}",
                 "thumb_key": f"{i:064x}", "phash": i, **band_columns(i), "donor_id": donors[i % 100].id,
                 "label_count": 0} for i in ids])
            db.execute(insert(QueueItem), [
                {"image_id": i, "kind": KINDS[i % 3], "reason": REASONS[i % len(REASONS)], "is_open": True,
                 "opened_at": start + timedelta(seconds=rng.uniform(0, 30 * 86400)), "report_count": rng.randint(0, 20),
                 "score": 0.0, "hidden": True, "screening_hit": False} for i in ids])
    if url.startswith("postgresql"):
        with app.registry["db_engine"].begin() as connection:
            connection.execute(text("ANALYZE"))
    return TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (it is emptied)")
    args = parser.parse_args(argv)
    emit = emitter("report_queue")
    backends = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    for backend, pg_url in backends:
        timings: dict[tuple[str, int], list[float]] = {}
        for size in (args.small, args.large):
            with tempfile.TemporaryDirectory() as tmp:
                url = pg_url or f"sqlite:///{Path(tmp) / 'queue.sqlite'}"
                app = build(url, Path(tmp), size)
                token = new_moderator(app)
                for _ in range(3):
                    app.get("/api/v1/moderation/queue", headers=auth(token))
                for _ in range(args.repeat):
                    for case, params in CASES.items():
                        began = time.perf_counter()
                        page = app.get("/api/v1/moderation/queue", params=params, headers=auth(token)).json
                        timings.setdefault((case, size), []).append((time.perf_counter() - began) * 1000)
                        assert len(page["items"]) == 20
                app.app.registry["db_engine"].dispose()
        for case in CASES:
            small = statistics.median(timings[(case, args.small)])
            large = statistics.median(timings[(case, args.large)])
            emit("first_page_ms", round(small, 2), "ms", backend=backend, case=case, open_items=args.small)
            emit("first_page_ms", round(large, 2), "ms", backend=backend, case=case, open_items=args.large,
                 target_max=50)
            emit("first_page_ratio", round(large / small, 2), "x", backend=backend, case=case, target_max=3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
