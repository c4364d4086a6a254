"""Settlement off the request path: pending marks, batched recompute, the settler thread, the sweep, inline mode."""
from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from sqlalchemy import select
from validate_support import PLUGINS, donate, image_label, next_task, vote
from webtest import TestApp

from imagemonkey.app import make_app
from imagemonkey.jobs import enqueue_job
from imagemonkey.models import Job
from imagemonkey.scripting import app_request
from imagemonkey.testing import new_client, new_moderator, run_jobs, settle_now
from imagemonkey_validate.models import Subject
from imagemonkey_validate.settlement import settle_pending
from imagemonkey_validate.settler import settler_of


def wait_until_settled(app: TestApp, il: str, timeout: float = 10.0) -> dict:
    """Poll the label until it is settled (without asking anything to settle it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        doc = image_label(app, il)
        if doc["settlement"] == "settled":
            return doc
        time.sleep(0.02)
    raise AssertionError(f"image label {il} was not settled within {timeout} s")


def test_the_settler_thread_settles_by_itself(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    il = donate(app, new_client(app), ("dog",), seed=1)["labels"][0]["id"]
    assert vote(app, new_client(app), il, "yes")["settlement"] == "pending"
    doc = wait_until_settled(app, il)
    assert doc["votes"] == {"yes": 1, "no": 0, "unsure": 0} and doc["confidence"] > 0.5
    assert settler_of(app.app.registry).thread.is_alive()


def test_votes_wait_pending_in_the_database_and_share_one_recompute(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    il = donate(app, new_client(app), ("dog",), seed=2)["labels"][0]["id"]
    settler_of(app.app.registry).stop()  # as if the process had died: nothing settles on its own
    voters = [new_client(app) for _ in range(3)]
    for token in voters:
        vote(app, token, il, "yes")
    doc = image_label(app, il)
    assert doc["settlement"] == "pending" and doc["votes"] == {"yes": 0, "no": 0, "unsure": 0}
    for token in voters:  # task selection never offers a subject the contributor voted on, settled or not
        assert next_task(app, token) is None
    with app_request(app.app.registry) as request:
        pending = request.dbsession.scalar(select(Subject.pending_since).where(Subject.subject_id == int(il)))
    assert pending is not None
    assert settle_pending(app.app.registry) == 1  # one subject, three votes: one recompute
    doc = image_label(app, il)
    assert doc["settlement"] == "settled" and doc["votes"] == {"yes": 3, "no": 0, "unsure": 0}
    assert doc["confidence"] > 0.8


def test_another_process_sweeps_what_was_left_pending(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    il = donate(app, new_client(app), ("dog",), seed=3)["labels"][0]["id"]
    settler_of(app.app.registry).stop()
    vote(app, new_client(app), il, "no")
    assert image_label(app, il)["settlement"] == "pending"
    settings = dict(app.app.registry.settings)
    other = TestApp(make_app(settings), extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    try:
        settler = settler_of(other.app.registry)
        settler.notify([])  # the first vote of the new process starts its settler, which sweeps first
        doc = wait_until_settled(app, il)
        assert doc["votes"] == {"yes": 0, "no": 1, "unsure": 0}
    finally:
        settler_of(other.app.registry).stop()
        other.app.registry["db_engine"].dispose()


def test_the_periodic_job_settles_what_was_left_pending(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    il = donate(app, new_client(app), ("dog",), seed=5)["labels"][0]["id"]
    settler_of(app.app.registry).stop()
    vote(app, new_client(app), il, "unsure")
    assert image_label(app, il)["settlement"] == "pending"
    job_id = enqueue_job(app.app.registry, "validate.settle")
    assert run_jobs(app) == 1
    with app_request(app.app.registry) as request:
        assert request.dbsession.get(Job, int(job_id)).result == {"settled": 1}
    assert image_label(app, il)["settlement"] == "settled" and image_label(app, il)["votes"]["unsure"] == 1


def test_inline_settlement_is_done_when_the_answer_arrives(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS, **{"validate.settlement": "inline"})
    il = donate(app, new_client(app), ("dog",), seed=4)["labels"][0]["id"]
    assert vote(app, new_client(app), il, "yes")["settlement"] == "pending"
    doc = image_label(app, il)
    assert doc["settlement"] == "settled" and doc["votes"]["yes"] == 1
    assert settler_of(app.app.registry).thread is None


def test_settle_now_leaves_nothing_pending(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    donor = new_client(app)
    labels = [donate(app, donor, ("cat",), seed=10 + i)["labels"][0]["id"] for i in range(3)]
    voter = new_client(app)
    app.post_json("/api/v1/votes", {"votes": [{"image_label_id": il, "vote": "no"} for il in labels]},
                  headers={"Authorization": f"Bearer {voter}"})
    settle_now(app)
    assert [image_label(app, il)["votes"]["no"] for il in labels] == [1, 1, 1]
    assert settle_pending(app.app.registry) == 0


@pytest.mark.parametrize("key, value", [("validate.settlement", "later"), ("validate.settle_sweep_seconds", "0")])
def test_bad_settlement_settings_stop_start_up(app_factory: Callable[..., TestApp], key: str, value: str):
    with pytest.raises(ValueError, match=key):
        app_factory(plugins=PLUGINS, **{key: value})


def test_votes_per_day_count_each_vote_once_at_settlement(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    il = donate(app, new_client(app), ("dog",), seed=6)["labels"][0]["id"]

    def votes_today() -> int:
        days = app.get("/api/v1/statistics").json["validate"]["votes_per_day"]
        return days[-1]["count"] if days else 0

    voter = new_client(app)
    vote(app, voter, il, "yes")
    vote(app, voter, il, "no")  # a replacement is not a new vote
    settle_now(app)
    assert votes_today() == 1
    settler_of(app.app.registry).stop()
    spammer = app.post("/api/v1/clients", status=201).json
    vote(app, spammer["token"], il, "yes")
    assert votes_today() == 1  # counted when settled
    app.post_json(f"/api/v1/contributors/{spammer['client_id']}/revert", {},
                  headers={"Authorization": f"Bearer {new_moderator(app)}"})
    vote(app, new_client(app), il, "unsure")
    settle_now(app)
    assert votes_today() == 2  # the reverted vote was never counted, so nothing is taken out for it
