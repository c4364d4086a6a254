"""Report crowd simulation: does trust weighting hide bad images without letting spam hide good ones?

2,000 public images, 3% truly bad. 200 contributors with a validation standing that validate counts
(a seeded history of answers anchored by a moderator, ``report_crowd_standing.seed_history``: 150 who
agree 88% of the time, 50 at 54%); over one simulated day each meets 1,000 random images, and 20 of the
well-standing ones report every bad image they meet with probability 0.5. 3 spammers (established
tokens without a record) report random good images at their rate limit (``report.max_per_hour`` an
hour, all day). A burst of 50 fresh tokens all report the same 20 good images. A self-agreeing brigade
(50 fresh tokens from 2 addresses that voted yes on one member's 5 donations through validate's vote
path, ``report_crowd_standing.run_brigade``) reports 24 good images twice each; the target is that it
hides none and none of its tokens is in good standing (pre-moderation's automatic unlock).
Every report goes through the plugin's own ``file_report`` (weighting,
hourly cap, rate limit, queue, quarantine and core's status change) in its own transaction on a real,
migrated SQLite database with validate and report enabled, in time order (each report carries its
simulated time); a reporter only reports an image they can still see. No moderator takes part.

Prints JSON lines. ``python bench/bench_report_crowd.py [--seed N]``
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from common import emitter
from imagemonkey_report.reports import file_report
from report_crowd_standing import HISTORY_IMAGES, brigade_events, brigade_figures, run_brigade, seed_history
from sqlalchemy import insert, select

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.errors import ApiError
from imagemonkey.models import Contributor, Image
from imagemonkey.models.types import utcnow
from imagemonkey.plugin import get_setting
from imagemonkey.scripting import app_request
from imagemonkey.services.near_duplicates import band_columns
from imagemonkey.services.visibility import can_see

IMAGES, BAD_SHARE, PEOPLE, REPORTERS, MET, SPAMMERS, FRESH, BURST_IMAGES = 2000, 0.03, 200, 20, 1000, 3, 50, 20
DAY = timedelta(hours=24)
SETTINGS = {"imagemonkey.rate_limit.clients": "off", "imagemonkey.rate_limit.writes": "off",
            "imagemonkey.rate_limit.requests": "off", "imagemonkey.moderation": "post", "report.screening": "false"}


def build_app(folder: Path) -> Any:
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    engine = make_engine(url)
    upgrade(engine, ["validate", "report"])
    engine.dispose()
    return make_app({**SETTINGS, "imagemonkey.data_dir": str(folder), "sqlalchemy.url": url,
                     "imagemonkey.plugins": "validate report"})


def seed(app: Any, start: Any, rng: random.Random) -> dict[str, list[Contributor]]:
    """Images, the crowd with its validation history, spammers and fresh tokens (detached contributors)."""
    month_ago = start - timedelta(days=30)
    with app_request(app.registry) as request:
        db = request.dbsession
        groups = {"donor": [Contributor(kind="client", created_at=month_ago)],
                  "crowd": [Contributor(kind="client", created_at=month_ago) for _ in range(PEOPLE)],
                  "spammers": [Contributor(kind="client", created_at=month_ago) for _ in range(SPAMMERS)],
                  "fresh": [Contributor(kind="client", created_at=start) for _ in range(FRESH)]}
        db.add_all([c for group in groups.values() for c in group])
        db.flush()
        donor = groups["donor"][0].id
        db.execute(insert(Image), [
            {"id": i, "status": "public", "format": "jpeg", "width": 64, "height": 64, "upload_sha256": f"{i:064x}",
             "original_key": f"{i:064x}", "medium_key": f"{i:064x}", "thumb_key": f"{i:064x}", "phash": i,
             **band_columns(i), "donor_id": donor, "label_count": 0} for i in range(1, IMAGES + 1)])
        seed_history(db, groups["crowd"], 150, IMAGES + 1, start, rng)
    return groups


def schedule(groups: dict[str, list[Contributor]], bad: set[int], start: Any, rng: random.Random,
             per_hour: int) -> list[tuple[Any, Contributor, int, str]]:
    """Every report of the day as ``(time, reporter, image_id, reason)``, in time order."""
    events = []
    good = [i for i in range(1, IMAGES + 1) if i not in bad]
    for person in groups["crowd"][:REPORTERS]:  # the first 150 are the well-standing ones
        for image_id in rng.sample(range(1, IMAGES + 1), MET):
            if image_id in bad and rng.random() < 0.5:
                events.append((start + DAY * rng.random(), person, image_id, "nudity"))
    for spammer in groups["spammers"]:
        for hour in range(24):
            for n in range(per_hour):
                events.append((start + timedelta(hours=hour, seconds=n * 3600 / per_hour + rng.random()), spammer,
                               rng.choice(good), "spam"))
    burst = rng.sample(good, BURST_IMAGES)
    burst_at = start + timedelta(hours=rng.uniform(0, 23))
    for n, token in enumerate(groups["fresh"]):
        for k, image_id in enumerate(burst):
            events.append((burst_at + timedelta(seconds=n + k / 100), token, image_id, "violence"))
    events.sort(key=lambda event: event[0])
    return events


def run(seed_value: int) -> dict[str, Any]:
    rng = random.Random(seed_value)
    bad = set(rng.sample(range(1, IMAGES + 1), round(IMAGES * BAD_SHARE)))
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        start = utcnow()
        groups = seed(app, start, rng)
        brigade = run_brigade(app, IMAGES + HISTORY_IMAGES + 1, start)
        per_hour = get_setting(app.registry, "report.max_per_hour")
        events = schedule(groups, bad, start, rng, per_hour)
        good = [i for i in range(1, IMAGES + 1) if i not in bad]
        raid, targets = brigade_events(brigade, good, start + timedelta(hours=rng.uniform(0, 23)), rng)
        events = sorted(events + raid, key=lambda event: event[0])
        reports_on = {"bad": 0, "good": 0}
        limited = 0
        began = time.perf_counter()
        for at, person, image_id, reason in events:
            try:
                with app_request(app.registry, contributor=person) as request:
                    image = request.dbsession.get(Image, image_id)
                    if not can_see(person, image):  # quarantined: nobody but moderators meets it any more
                        continue
                    file_report(request, image, reason, None, now=at)
                reports_on["bad" if image_id in bad else "good"] += 1
            except ApiError as error:
                limited += error.status == 429
        elapsed = time.perf_counter() - began
        with app_request(app.registry) as request:
            hidden = set(request.dbsession.scalars(select(Image.id).where(Image.status == "quarantined")))
        raided = brigade_figures(app, brigade, targets, hidden)
        app.registry["db_engine"].dispose()
    hidden_bad = len(hidden & bad)
    return {"bad_hidden_share": round(hidden_bad / len(bad), 4),
            "good_wrongly_hidden_share": round(len(hidden - bad) / (IMAGES - len(bad)), 4),
            "reports_per_hidden_bad": round(reports_on["bad"] / max(1, hidden_bad), 2),
            "bad": len(bad), "hidden_bad": hidden_bad, "hidden_good": len(hidden - bad),
            "reports_on_bad": reports_on["bad"], "reports_on_good": reports_on["good"], "rate_limited": limited,
            "seconds": round(elapsed, 1), "reports_per_second": round(len(events) / elapsed, 1), "brigade": raided}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = run(args.seed)
    emit = emitter("report_crowd")
    emit("bad_hidden_share", figures.pop("bad_hidden_share"), "share", target_min=0.95, seed=args.seed)
    emit("good_wrongly_hidden_share", figures.pop("good_wrongly_hidden_share"), "share", target_max=0.01,
         seed=args.seed)
    emit("reports_per_hidden_bad", figures.pop("reports_per_hidden_bad"), "reports", seed=args.seed)
    raided = figures.pop("brigade")
    emit("brigade_hidden", raided.pop("hidden"), "images", target_max=0, seed=args.seed, **raided)
    emit("run", figures, "counts", seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
