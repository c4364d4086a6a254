"""Crowd simulation: does the trust-weighted policy beat the original yes/(yes+no) >= 0.8 rule?

2,000 image labels with a known truth (70% true); 100 contributors: 70 answer correctly 90% of
the time, 10 at random, 20 adversaries always answer the opposite. Contributors fetch tasks
through the plugin's own selection code (``imagemonkey_validate.selection.pick``) on a real,
migrated SQLite database and vote through ``imagemonkey_validate.casting.cast`` (one transaction
per vote, with hooks, as a request would), each vote settled right after its commit by the app's
settler (``validate.settlement = inline``: the settler's own batch code, in the committing
thread) until nothing is left for anybody. No moderators take part.

The original rule is simulated with the same crowd and the same number of votes, on tasks chosen
at random with repeats allowed (ORDER BY RANDOM(), no de-duplication).

Prints JSON lines. ``python bench/bench_validate_crowd.py [--seed N] [--labels N]``
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.models import Contributor, Image, ImageLabel
from imagemonkey.scripting import app_request
from imagemonkey.services.near_duplicates import band_columns
from imagemonkey_validate import selection
from imagemonkey_validate.casting import cast, take_subject
from imagemonkey_validate.models import Subject
from imagemonkey_validate.subjects import IMAGE_LABEL, new_subject

LABELS = ["dog", "cat", "horse", "bird", "cow", "sheep", "car", "tree", "apple", "chair"]
SETTINGS = {"imagemonkey.rate_limit.clients": "off", "imagemonkey.rate_limit.writes": "off",
            "imagemonkey.rate_limit.requests": "off", "imagemonkey.moderation": "post"}


def build_app(folder: Path, extra: dict[str, str] | None = None, url: str | None = None) -> Any:
    """A migrated app with only validate enabled, under ``folder`` (SQLite there unless ``url`` is given)."""
    url = url or f"sqlite:///{folder / 'bench.sqlite'}"
    engine = make_engine(url)
    upgrade(engine, ["validate"])
    engine.dispose()
    return make_app({**SETTINGS, "imagemonkey.data_dir": str(folder), "sqlalchemy.url": url,
                     "imagemonkey.plugins": "validate", **(extra or {})})


def image_rows(start: int, count: int, donor_id: int) -> list[dict[str, Any]]:
    """Bare public image rows (no files: selection and voting never read them)."""
    return [{"id": i, "status": "public", "format": "jpeg", "width": 64, "height": 64, "upload_sha256": f"{i:064x}",
             "original_key": f"{i:064x}", "medium_key": f"{i:064x}", "thumb_key": f"{i:064x}", "phash": i,
             **band_columns(i), "donor_id": donor_id, "label_count": 1} for i in range(start, start + count)]


def seed(app: Any, labels: int, contributors: int) -> tuple[list[int], list[Contributor]]:
    """``labels`` image labels (one image each) with subject rows, and the (detached) contributors."""
    registry = app.registry
    with app_request(registry) as request:
        db = request.dbsession
        donor = Contributor(kind="client")
        crowd = [Contributor(kind="client") for _ in range(contributors)]
        db.add_all([donor, *crowd])
        db.flush()
        db.execute(insert(Image), image_rows(1, labels, donor.id))
        db.execute(insert(ImageLabel), [{"image_id": i, "label": LABELS[i % len(LABELS)], "contributor_id": donor.id}
                                        for i in range(1, labels + 1)])
        for image_label in db.scalars(select(ImageLabel).order_by(ImageLabel.id)):
            new_subject(request, IMAGE_LABEL, image_label.id, db.get(Image, image_label.image_id),
                        image_label.label, donor.id, image_label_id=image_label.id)
        ids = list(db.scalars(select(ImageLabel.id).order_by(ImageLabel.id)))
        return ids, crowd


def answer(kind: str, truth: bool, rng: random.Random) -> str:
    """What a simulated contributor of ``kind`` answers."""
    if kind == "good":
        right = rng.random() < 0.9
    elif kind == "random":
        right = rng.random() < 0.5
    else:
        right = False
    return "yes" if truth == right else "no"


def crowd_kinds() -> list[str]:
    return ["good"] * 70 + ["random"] * 10 + ["adversary"] * 20


def run_policy(labels: int, seed_value: int) -> tuple[dict[str, Any], int, dict[Contributor, int]]:
    """Our policy on a real database; returns figures, total votes and votes per contributor."""
    rng = random.Random(seed_value)
    random.seed(seed_value)  # the subjects' random_key (drawn by validate from the module's generator)
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), {"validate.settlement": "inline"})
        ids, people = seed(app, labels, 100)
        truth = {il: rng.random() < 0.7 for il in ids}
        kinds = dict(zip(people, crowd_kinds(), strict=True))
        active = list(people)
        votes = 0
        per_person = dict.fromkeys(people, 0)
        started = time.perf_counter()
        while active:
            person = rng.choice(active)
            with app_request(app.registry, contributor=person) as request:
                picked = selection.pick(request.dbsession, person, n=1, rng=rng)
                if not picked:
                    active.remove(person)
                    continue
                subject = take_subject(request.dbsession, picked[0].kind, picked[0].subject_id)
                cast(request, subject, answer(kinds[person], truth[subject.subject_id], rng))
            votes += 1
            per_person[person] += 1
        elapsed = time.perf_counter() - started
        with app_request(app.registry) as request:
            states = dict(request.dbsession.execute(select(Subject.subject_id, Subject.state)).all())
        app.registry["db_engine"].dispose()
    figures = score(truth, states, votes)
    figures["seconds"] = round(elapsed, 1)
    return figures, votes, per_person


def run_original(labels: int, seed_value: int, per_person: dict[Contributor, int], kinds: list[str]) -> dict[str, Any]:
    """The original rule with the same crowd and budget: random tasks, repeats allowed, raw counts."""
    rng = random.Random(seed_value)
    truth = {il: rng.random() < 0.7 for il in range(labels)}
    yes = dict.fromkeys(truth, 0)
    no = dict.fromkeys(truth, 0)
    budget = [kind for kind, person in zip(kinds, per_person, strict=True) for _ in range(per_person[person])]
    rng.shuffle(budget)
    for kind in budget:
        il = rng.randrange(labels)
        if answer(kind, truth[il], rng) == "yes":
            yes[il] += 1
        else:
            no[il] += 1
    states = {}
    for il in truth:
        total = yes[il] + no[il]
        if total == 0:
            states[il] = "unverified"
        else:
            states[il] = "verified" if yes[il] / total >= 0.8 else "rejected" if yes[il] / total <= 0.2 else "contested"
    return score(truth, states, len(budget))


def score(truth: dict[int, bool], states: dict[int, str], votes: int) -> dict[str, Any]:
    """Precision and recall of verified, precision of rejected, votes per settled label."""
    verified = [il for il, state in states.items() if state == "verified"]
    rejected = [il for il, state in states.items() if state == "rejected"]
    true_positive = sum(truth[il] for il in verified)
    settled = len(verified) + len(rejected)
    return {"verified_precision": round(true_positive / max(1, len(verified)), 4),
            "verified_recall": round(true_positive / max(1, sum(truth.values())), 4),
            "rejected_precision": round(sum(not truth[il] for il in rejected) / max(1, len(rejected)), 4),
            "votes_per_settled": round(votes / max(1, settled), 2),
            "settled": settled, "contested": sum(1 for s in states.values() if s == "contested"),
            "unverified": sum(1 for s in states.values() if s == "unverified"), "votes": votes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--labels", type=int, default=2000)
    args = parser.parse_args(argv)
    ours, _, per_person = run_policy(args.labels, args.seed)
    original = run_original(args.labels, args.seed, per_person, crowd_kinds())
    for policy, figures in (("trust_weighted", ours), ("original_raw_0.8", original)):
        print(json.dumps({"bench": "validate_crowd", "policy": policy, "seed": args.seed, "labels": args.labels,
                          **figures}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
