"""A donation whose screening job failed for good is in the moderation queue with the reason (issue 21, item 4).

The screening job's process died on each of its attempts (the lease of its last run lapsed): the
job is failed, and report's ``on_failure`` queues the donation, still pending, for moderators.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from report_support import PLUGINS, donate, image_status, queue
from sqlalchemy import select, update
from webtest import TestApp

from imagemonkey.jobs.lease import recover_lapsed
from imagemonkey.jobs.queue import job_queue
from imagemonkey.models import Job
from imagemonkey.models.types import utcnow
from imagemonkey.testing import auth, new_client, new_moderator, settle_now


def die_on_last_attempt(app: TestApp) -> str:
    """The screening job's row as a process killed during its last attempt leaves it; returns the job's id."""
    settle_now(app)
    with app.app.registry["dbsession_factory"]() as session:
        job = session.scalars(select(Job).where(Job.name == "report.screen")).one()
        session.execute(update(Job).where(Job.id == job.id).values(
            state="running", attempts=5, started_at=utcnow() - timedelta(minutes=5),
            lease_until=utcnow() - timedelta(minutes=4)))
        session.commit()
        return str(job.id)


def test_a_donation_whose_screening_failed_is_queued_with_the_reason(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)  # screening on, post-moderation: pending until screened
    moderator = new_moderator(app)
    image_id = donate(app, new_client(app))["image"]["id"]
    assert queue(app, moderator)["items"] == []  # waiting for its screening, not for a moderator
    job_id = die_on_last_attempt(app)
    assert recover_lapsed(job_queue(app.app.registry)) == {"queued": 0, "failed": 1, "moved": 0}
    job = app.get(f"/api/v1/jobs/{job_id}", headers=auth(moderator)).json
    assert job["state"] == "failed" and job["attempts"] == 5
    assert job["error"].startswith("LeaseExpired: the process running attempt 5 stopped renewing its lease")
    assert job["error"].endswith("(gave up after 5 attempts)")
    [item] = queue(app, moderator)["items"]
    assert item["image"]["id"] == image_id and item["kind"] == "pending"
    assert item["screening"]["error"] == f"job {job_id}: {job['error']}"
    assert image_status(app, moderator, image_id) == "pending"
    assert recover_lapsed(job_queue(app.app.registry)) == {"queued": 0, "failed": 0, "moved": 0}


def test_a_lapsed_screening_with_attempts_left_runs_again(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS, **{"report.screening": "true"})
    moderator = new_moderator(app)
    donate(app, new_client(app))
    job_id = die_on_last_attempt(app)
    with app.app.registry["dbsession_factory"]() as session:
        session.execute(update(Job).where(Job.id == int(job_id)).values(attempts=2))
        session.commit()
    assert recover_lapsed(job_queue(app.app.registry)) == {"queued": 1, "failed": 0, "moved": 0}
    job = app.get(f"/api/v1/jobs/{job_id}", headers=auth(moderator)).json
    assert (job["state"], job["attempts"], job["error"]) == ("queued", 2, None)
    assert job["message"].startswith("attempt 2 of 5 ended (LeaseExpired:")
    assert queue(app, moderator)["items"] == []
