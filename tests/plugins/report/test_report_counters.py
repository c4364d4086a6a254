"""Core's image counters with report's moves: held for screening, unlocked, quarantined, removed."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from report_support import PLUGINS, decide, donate, image_status, report
from webtest import TestApp

from imagemonkey.testing import counter_drifts, new_client, new_moderator, run_jobs


class CleanScreener:
    """A screener that never finds anything (the real one is NudeNet: test_report_screening runs it)."""

    name = "clean"

    def screen(self, data: bytes) -> dict[str, Any]:
        return {"hit": False}


def images(app: TestApp) -> dict[str, Any]:
    return app.get("/api/v1/statistics").json["images"]


def test_screened_donations_count_as_public_and_a_removal_never_goes_negative(
        app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)  # post-moderation, screening on: donations wait as pending until screened
    app.app.registry["report.screeners"] = [CleanScreener()]
    moderator, donor = new_moderator(app), new_client(app)
    ids = [donate(app, donor, seed=seed)["image"]["id"] for seed in (1, 2, 3)]
    assert images(app)["total"] == 0  # pending ones are not public yet
    assert run_jobs(app) == 3
    assert all(image_status(app, moderator, image_id) == "public" for image_id in ids)
    assert images(app)["total"] == 3 and images(app)["by_status"] == {"public": 3}
    report(app, new_client(app), ids[0], "violence")
    decide(app, moderator, ids[0], "remove")
    assert images(app)["total"] == 2 and images(app)["by_status"] == {"public": 2}
    assert counter_drifts(app) == []


def test_holding_a_donation_for_screening_is_not_logged_as_the_donors_work(
        app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)  # screening on: the donation is held as pending by the site, not the donor
    moderator, donor = new_moderator(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    assert image_status(app, moderator, image_id) == "pending"
    who = app.get("/api/v1/me", headers={"Authorization": f"Bearer {donor}"}).json["id"]
    log = app.get(f"/api/v1/contributors/{who}/contributions",
                  headers={"Authorization": f"Bearer {moderator}"}).json["contributions"]
    assert sorted(entry["kind"] for entry in log) == ["image.donate", "label.add"]
