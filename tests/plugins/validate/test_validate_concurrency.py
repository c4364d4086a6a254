"""Concurrent votes: no deadlock, no 5xx, nothing lost (SQLite and PostgreSQL), through threads on the real app.

Every voter has voted on every label first, in a different order per label, so that any transaction
writing several voters' trust records in vote order (rather than a fixed order) would take them in
opposite orders on two labels: on PostgreSQL that deadlocks (issue 14, item 5).
"""
from __future__ import annotations

import random
import threading
from collections.abc import Callable

from sqlalchemy import func, select
from validate_support import PLUGINS, donate, vote
from webtest import TestApp

from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client, settle_now
from imagemonkey_validate.models import Subject, Trust, Vote

LABELS = 6
VOTERS = 12
THREADS = 8
VOTES_PER_THREAD = 25


def test_concurrent_votes_never_fail_and_all_settle(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS, **{"validate.max_votes": "50", "validate.contested_votes": "50",
                                          "validate.verify_confidence": "0.999999",
                                          "validate.reject_confidence": "0.999999"})
    donor = new_client(app)
    labels = [donate(app, donor, ("dog",), seed=40 + i)["labels"][0]["id"] for i in range(LABELS)]
    voters = [new_client(app) for _ in range(VOTERS)]
    rng = random.Random(5)
    for il in labels:
        for token in rng.sample(voters, len(voters)):
            vote(app, token, il, rng.choice(["yes", "no"]))
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def voter(seed: int) -> None:
        client = TestApp(app.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        local = random.Random(seed)
        start.wait()
        for _ in range(VOTES_PER_THREAD):
            il, token = local.choice(labels), local.choice(voters)
            response = client.post_json(f"/api/v1/image-labels/{il}/votes", {"vote": local.choice(["yes", "no"])},
                                        headers=auth(token), status="*")
            with lock:
                statuses.append(response.status_int)

    threads = [threading.Thread(target=voter, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(statuses)) == [200], {s: statuses.count(s) for s in set(statuses)}
    assert len(statuses) == THREADS * VOTES_PER_THREAD
    settle_now(app)
    with app_request(app.app.registry) as request:
        db = request.dbsession
        assert db.scalar(select(func.count()).select_from(Subject).where(Subject.pending_since.is_not(None))) == 0
        counted = dict(db.execute(select(Vote.subject_id, func.count()).group_by(Vote.subject_id)).all())
        settled = dict(db.execute(select(Subject.subject_id, Subject.vote_count)).all())
        assert counted == settled == {int(il): VOTERS for il in labels}
        credits = dict(db.execute(select(Vote.contributor_id, func.sum(Vote.credit))
                                  .group_by(Vote.contributor_id)).all())
        records = {cid: correct for cid, correct in db.execute(select(Trust.contributor_id, Trust.correct))}
        assert set(credits) == set(records)
        for cid, total in credits.items():
            assert abs(records[cid] - (total or 0.0)) < 1e-6
