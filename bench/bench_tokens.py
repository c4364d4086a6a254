"""A write with a named API token against the same write with an anonymous token, in one process (JSON lines).

Run from the repository root::

    .venv/bin/python bench/bench_tokens.py [--requests 400] [--rounds 5]

One app (core only, SQLite in a temporary folder built with the real migrations, rate limits off)
answers ``POST /api/v1/label-suggestions`` (each a new name) through WSGI (WebTest, no network) for an anonymous
client token, an account's session token and a named ``contribute`` token, the three interleaved
round by round, each case first in turn. On SQLite (one process serves the site) every token's identity is
cached per process (``token_cache_seconds``) and a revocation clears that cache; on PostgreSQL session and
named tokens are read from the database on every request, which this benchmark does not measure.
Prints requests per second per case (median over rounds) and each case's ratio to the anonymous one
(target for the named token: at least 0.95). Then times a sign-up that claims an anonymous token with
``--claimed`` (10,000) contributions in its log (target: under 2 s; the contributor row itself becomes the
account, so the time does not grow with the history). Last, times ``DELETE /api/v1/me`` for two accounts with
``--deleted`` (10,000) contributions each: real image labels on other contributors' pictures (10 on each of
``--deleted / 10`` images), each with its ``label.add`` log entry, seeded straight into the tables. ``keep``
leaves them credited to no one (a few row writes, whatever the history); ``revert`` undoes every label through
the revert hooks (each label's image recounted) and marks the log reverted.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from webtest import TestApp

TARGET = 0.95


def emit(figure: str, value: float, unit: str, **extra: object) -> None:
    print(json.dumps({"bench": "tokens", "figure": figure, "value": round(value, 3), "unit": unit, **extra}),
          flush=True)


def build(folder: Path) -> TestApp:
    from imagemonkey.app import make_app
    from imagemonkey.db.engine import make_engine
    from imagemonkey.db.migrate import upgrade

    url = f"sqlite:///{folder / 'bench.sqlite'}"
    upgrade(make_engine(url), [])
    settings = {"sqlalchemy.url": url, "imagemonkey.data_dir": str(folder), "imagemonkey.plugins": "",
                "imagemonkey.rate_limit.clients": "off", "imagemonkey.rate_limit.writes": "off",
                "imagemonkey.rate_limit.requests": "off"}
    return TestApp(make_app(settings), extra_environ={"REMOTE_ADDR": "127.0.0.1"})


def tokens(app: TestApp) -> dict[str, str]:
    """An anonymous token, a session token and a named contribute token of one new account."""
    anonymous = app.post("/api/v1/clients", status=201).json["token"]
    session = app.post_json("/api/v1/accounts", {"username": "timer", "password": "bench-marble-otter-42"},
                            status=201).json["token"]
    named = app.post_json("/api/v1/me/tokens", {"name": "bench", "scopes": ["contribute"]},
                          headers={"Authorization": f"Bearer {session}"}, status=201).json["token"]
    return {"anonymous": anonymous, "session": session, "named": named}


def run(app: TestApp, token: str, requests: int, start: int) -> float:
    """Requests per second for ``requests`` label suggestions with ``token``."""
    headers = {"Authorization": f"Bearer {token}"}
    began = time.perf_counter()
    for n in range(requests):
        app.post_json("/api/v1/label-suggestions", {"name": f"bench suggestion {start + n:06d}"},
                      headers=headers, status="2*")
    return requests / (time.perf_counter() - began)


def claim_seconds(app: TestApp, contributions: int) -> float:
    """Seconds for a sign-up that claims an anonymous token with ``contributions`` entries in its log."""
    from sqlalchemy import insert

    from imagemonkey.models import Contribution
    from imagemonkey.models.types import utcnow
    from imagemonkey.scripting import app_request

    answer = app.post("/api/v1/clients", status=201).json
    rows = [{"contributor_id": int(answer["client_id"]), "kind": "image.label", "target_id": str(n),
             "created_at": utcnow(), "reverted": False} for n in range(contributions)]
    with app_request(app.app.registry) as request:
        request.dbsession.execute(insert(Contribution), rows)
    began = time.perf_counter()
    app.post_json("/api/v1/accounts", {"username": "claimer", "password": "bench-marble-otter-42", "claim": True},
                  headers={"Authorization": f"Bearer {answer['token']}"}, status=201)
    return time.perf_counter() - began


def seed_labels(app: TestApp, account_id: int, count: int, batch: int) -> None:
    """``count`` image labels by ``account_id`` (10 per image, on images another contributor donated) with their
    ``label.add`` log entries, written straight into the tables."""
    from sqlalchemy import insert, select

    from imagemonkey.models import Contribution, Contributor, Image, ImageLabel
    from imagemonkey.models.types import utcnow
    from imagemonkey.scripting import app_request

    now = utcnow()
    with app_request(app.app.registry) as request:
        session = request.dbsession
        donor = Contributor(kind="client", role="contributor")
        session.add(donor)
        session.flush()
        images = [{"status": "public", "format": "jpeg", "width": 64, "height": 48,
                   "upload_sha256": f"{batch:04d}{n:060d}", "original_key": f"{batch:04d}{n:060d}",
                   "medium_key": "m", "thumb_key": "t", "phash": n, "phash_b0": 0, "phash_b1": 0, "phash_b2": 0,
                   "donor_id": donor.id, "label_count": 10, "created_at": now} for n in range(count // 10)]
        session.execute(insert(Image), images)
        image_ids = list(session.scalars(select(Image.id).where(Image.donor_id == donor.id)))
        session.execute(insert(ImageLabel), [{"image_id": image_id, "label": f"bench label {k}",
                                              "contributor_id": account_id, "created_at": now}
                                             for image_id in image_ids for k in range(10)])
        label_ids = list(session.scalars(select(ImageLabel.id).where(ImageLabel.contributor_id == account_id)))
        session.execute(insert(Contribution), [{"contributor_id": account_id, "kind": "label.add",
                                                "target_id": str(label_id), "created_at": now, "reverted": False}
                                               for label_id in label_ids])


def delete_seconds(app: TestApp, choice: str, contributions: int, batch: int) -> float:
    """Seconds for ``DELETE /api/v1/me`` with ``choice`` by an account with ``contributions`` image labels."""
    password = "bench-marble-otter-42"
    answer = app.post_json("/api/v1/accounts", {"username": f"leaver-{choice}", "password": password},
                           status=201).json
    seed_labels(app, int(answer["user"]["id"]), contributions, batch)
    began = time.perf_counter()
    done = app.delete_json("/api/v1/me", {"password": password, "contributions": choice},
                           headers={"Authorization": f"Bearer {answer['token']}"}, status=200).json
    seconds = time.perf_counter() - began
    assert choice == "keep" or done["reverted"]["label.add"] == contributions, done
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--claimed", type=int, default=10_000)
    parser.add_argument("--deleted", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-tokens-") as tmp:
        app = build(Path(tmp))
        cases = tokens(app)
        for token in cases.values():  # warm up each path once
            run(app, token, 20, 0)
        rates: dict[str, list[float]] = {case: [] for case in cases}
        names = list(cases)
        for round_ in range(args.rounds):
            order = names[round_ % len(names):] + names[:round_ % len(names)]  # each case first in turn
            for case in order:
                start = (round_ * len(names) + names.index(case)) * args.requests  # fresh names for every run
                rates[case].append(run(app, cases[case], args.requests, start))
        claimed = claim_seconds(app, args.claimed)
        deleted = {choice: delete_seconds(app, choice, args.deleted, batch)
                   for batch, choice in enumerate(("keep", "revert"))}
        app.app.registry["db_engine"].dispose()
    median = {case: statistics.median(values) for case, values in rates.items()}
    for case, value in median.items():
        emit(f"{case}_write", value, "requests/s", database="sqlite", rounds=args.rounds, requests=args.requests)
    for case in ("session", "named"):
        ratio = median[case] / median["anonymous"]
        emit(f"{case}_vs_anonymous", ratio, "ratio", target=TARGET if case == "named" else None,
             met=ratio >= TARGET if case == "named" else None)
    emit("claim", claimed, "s", database="sqlite", contributions=args.claimed, target=2.0, met=claimed < 2.0)
    for choice, seconds in deleted.items():
        emit(f"delete_{choice}", seconds, "s", database="sqlite", contributions=args.deleted)


if __name__ == "__main__":
    main()
