"""Crowd simulation: answers per settled property value with 20% adversaries (target at most 6, precision >= 0.99).

``--labels`` dog image labels (one image each, a known true colour drawn from the catalog's six); 100 contributors:
80 honest ones answer the truth 95% of the time (another colour at random otherwise), 20 adversaries never answer
the truth. Two adversary models: ``independent`` (each picks a wrong colour at random) and ``coordinated`` (all
pick the same wrong colour per image label, the worst case). Contributors fetch tasks through the plugin's own
chooser (``imagemonkey_refine.tasks.next_task``) and answer through ``imagemonkey_refine.answers.answer`` on a real,
migrated SQLite database, one transaction per answer, until nothing is left for anybody. Refine runs alone
(every answer weighs 1: the majority with a margin, ``refine.margin``).

Prints JSON lines. ``python bench/bench_refine_crowd.py [--seed N] [--labels N] [--margins 3,4]``
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from imagemonkey_refine.answers import answer
from imagemonkey_refine.models import Settled
from imagemonkey_refine.tasks import next_task
from sqlalchemy import insert, select

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.models import Contributor, Image, ImageLabel
from imagemonkey.scripting import app_request
from imagemonkey.services.near_duplicates import band_columns

COLOURS = ["black", "brown", "white", "grey", "golden", "mixed"]
SETTINGS = {"imagemonkey.rate_limit.clients": "off", "imagemonkey.rate_limit.writes": "off",
            "imagemonkey.rate_limit.requests": "off", "imagemonkey.moderation": "post"}


def build_app(folder: Path, margin: int) -> Any:
    """A migrated app with only refine enabled, on SQLite under ``folder``."""
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    engine = make_engine(url)
    upgrade(engine, ["refine"])
    engine.dispose()
    return make_app({**SETTINGS, "imagemonkey.data_dir": str(folder), "sqlalchemy.url": url,
                     "imagemonkey.plugins": "refine", "refine.margin": str(margin)})


def seed(app: Any, labels: int) -> tuple[list[int], list[Contributor]]:
    """``labels`` public dog image labels (bare image rows: nothing reads their files) and 100 contributors."""
    with app_request(app.registry) as request:
        db = request.dbsession
        donor = Contributor(kind="client")
        crowd = [Contributor(kind="client") for _ in range(100)]
        db.add_all([donor, *crowd])
        db.flush()
        db.execute(insert(Image), [{
            "id": i, "status": "public", "format": "jpeg", "width": 64, "height": 64, "upload_sha256": f"{i:064x}",
            "original_key": f"{i:064x}", "medium_key": f"{i:064x}", "thumb_key": f"{i:064x}", "phash": i,
            **band_columns(i), "donor_id": donor.id, "label_count": 1} for i in range(1, labels + 1)])
        db.execute(insert(ImageLabel), [{"image_id": i, "label": "dog", "contributor_id": donor.id}
                                        for i in range(1, labels + 1)])
        return list(db.scalars(select(ImageLabel.id).order_by(ImageLabel.id))), crowd


def pick(adversary: bool, truth: str, wrong: str, model: str, rng: random.Random) -> str:
    """What one simulated contributor answers."""
    others = [colour for colour in COLOURS if colour != truth]
    if adversary:
        return wrong if model == "coordinated" else rng.choice(others)
    return truth if rng.random() < 0.95 else rng.choice(others)


def run(labels: int, margin: int, model: str, seed_value: int) -> dict[str, Any]:
    """One simulation; the figures as a dict."""
    rng = random.Random(seed_value)
    random.seed(seed_value)  # the task chooser's pivots
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), margin)
        ids, people = seed(app, labels)
        truth = {il: rng.choice(COLOURS) for il in ids}
        wrong = {il: rng.choice([c for c in COLOURS if c != truth[il]]) for il in ids}
        adversaries = set(rng.sample(range(len(people)), 20))
        active = list(range(len(people)))
        answers = 0
        started = time.perf_counter()
        while active:
            who = rng.choice(active)
            with app_request(app.registry, contributor=people[who]) as request:
                task = next_task(request, None)
                if not task:
                    active.remove(who)
                    continue
                il = int(task["image_label"])
                image_label = request.dbsession.get(ImageLabel, il)
                answer(request, image_label, "color", pick(who in adversaries, truth[il], wrong[il], model, rng))
            answers += 1
        seconds = time.perf_counter() - started
        with app_request(app.registry) as request:
            settled = dict(request.dbsession.execute(select(Settled.image_label_id, Settled.value)).all())
    right = sum(1 for il, value in settled.items() if truth[il] == value)
    return {"bench": "refine_crowd", "adversaries": model, "adversary_share": 0.2, "margin": margin,
            "image_labels": labels, "settled": len(settled), "answers": answers,
            "answers_per_settled_value": round(answers / max(len(settled), 1), 2),
            "precision": round(right / max(len(settled), 1), 4), "answers_per_second": round(answers / seconds, 1),
            "target": "answers_per_settled_value <= 6 and precision >= 0.99"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--labels", type=int, default=300)
    parser.add_argument("--margins", default="3,4")
    args = parser.parse_args()
    for margin in (int(m) for m in args.margins.split(",")):
        for model in ("independent", "coordinated"):
            print(json.dumps(run(args.labels, margin, model, args.seed)), flush=True)


if __name__ == "__main__":
    main()
