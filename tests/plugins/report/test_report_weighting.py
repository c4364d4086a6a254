"""Trust weighting: moderators hide at once, established reporters together, fresh tokens hardly, the hourly
cap, reporters whose reports were dismissed count less, validate's standing counts; auto-hide reverses."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from imagemonkey_report.settings import Policy
from imagemonkey_report.weighting import Reporter, base_weight, capped_weight, image_score
from report_support import (
    ALL_PLUGINS,
    decide,
    donate,
    established_client,
    image_status,
    make,
    queue,
    report,
    standing_client,
)
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator

POLICY = Policy(hide_threshold=3.0, base_weight=1.0, max_weight=2.0, fresh_weight=0.1, fresh_hours=24,
                fresh_image_cap=1.0, hourly_weight_cap=4.0, fresh_hourly_weight_cap=0.3, max_per_hour=30,
                dismissal_penalty=0.5, min_evidence=3.0)


def test_weights_of_each_kind_of_reporter() -> None:
    assert base_weight(POLICY, Reporter(1, moderator=True, fresh=False, reliability=None)) == 3.0
    assert base_weight(POLICY, Reporter(1, moderator=False, fresh=True, reliability=None)) == 0.1
    assert base_weight(POLICY, Reporter(1, moderator=False, fresh=False, reliability=None)) == 1.0
    assert base_weight(POLICY, Reporter(1, moderator=False, fresh=False, reliability=0.9)) == 1.8
    assert base_weight(POLICY, Reporter(1, moderator=False, fresh=False, reliability=0.98)) == 1.96
    assert base_weight(POLICY, Reporter(1, moderator=False, fresh=False, reliability=0.2)) == 0.4
    dismissed = Reporter(1, moderator=False, fresh=False, reliability=None, dismissed=3, upheld=1)
    assert base_weight(POLICY, dismissed) == 0.5


def test_hourly_cap_and_fresh_cap_per_image() -> None:
    established = Reporter(1, moderator=False, fresh=False, reliability=None)
    assert capped_weight(POLICY, established, 3.5) == 0.5 and capped_weight(POLICY, established, 4.0) == 0.0
    fresh = Reporter(1, moderator=False, fresh=True, reliability=None)
    assert capped_weight(POLICY, fresh, 0.25) == pytest.approx(0.05) and capped_weight(POLICY, fresh, 0.3) == 0.0
    assert capped_weight(POLICY, Reporter(1, moderator=True, fresh=False, reliability=None), 99.0) == 3.0
    assert image_score(POLICY, [(0.1, True)] * 50 + [(1.0, False)]) == 2.0


def test_moderator_report_hides_at_once_and_keep_brings_it_back(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, donor = new_moderator(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    report(app, moderator, image_id, "hate")
    assert image_status(app, moderator, image_id) == "quarantined"
    app.get(f"/api/v1/images/{image_id}", status=404)
    app.get(f"/api/v1/images/{image_id}", headers=auth(donor), status=404)
    decide(app, moderator, image_id, "keep")
    assert image_status(app, moderator, image_id) == "public"


def test_three_established_reporters_hide_fresh_tokens_cannot(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, donor = new_moderator(app), new_client(app)
    good, bad = (donate(app, donor, seed=i)["image"]["id"] for i in range(2))
    for _ in range(40):
        report(app, new_client(app), good, "nudity")
    assert image_status(app, moderator, good) == "public"
    item = queue(app, moderator)["items"][0]
    assert item["score"] == 1.0 and item["reports"][0]["fresh"] == 40
    for i in range(3):
        report(app, established_client(app), bad, "violence")
        assert image_status(app, moderator, bad) == ("quarantined" if i == 2 else "public")


def test_one_reporter_hourly_cap(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, **{"report.hourly_weight_cap": "2.5"})
    moderator, donor, spammer = new_moderator(app), new_client(app), established_client(app)
    ids = [donate(app, donor, seed=i)["image"]["id"] for i in range(4)]
    for image_id in ids:
        report(app, spammer, image_id, "spam")
    scores = {item["image"]["id"]: item["score"] for item in queue(app, moderator, limit=10)["items"]}
    assert [scores[i] for i in ids] == [1.0, 1.0, 0.5, 0.0]


def test_dismissed_reporters_lose_weight(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, donor, reporter = new_moderator(app), new_client(app), established_client(app)
    first, second = (donate(app, donor, seed=i)["image"]["id"] for i in range(2))
    report(app, reporter, first, "spam")
    decide(app, moderator, first, "keep")
    report(app, reporter, second, "spam")
    assert queue(app, moderator)["items"][0]["score"] == round(1 / 1.5, 3)


def test_reports_withdrawn_by_a_revert_release_the_image(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, donor = new_moderator(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    reporters = [established_client(app) for _ in range(3)]
    for token in reporters:
        report(app, token, image_id, "nudity")
    assert image_status(app, moderator, image_id) == "quarantined"
    reporter_id = app.get("/api/v1/me", headers=auth(reporters[0])).json["id"]
    reverted = app.post_json(f"/api/v1/contributors/{reporter_id}/revert", {}, headers=auth(moderator)).json
    assert reverted["reverted"]["report.report"] == 1
    assert image_status(app, moderator, image_id) == "public"
    item = queue(app, moderator)["items"][0]
    assert item["score"] == 2.0 and item["reports"][0]["count"] == 2
    again = app.post_json(f"/api/v1/contributors/{reporter_id}/revert", {}, headers=auth(moderator)).json
    assert again["reverted"]["report.report"] == 0


def test_validate_standing_weighs_reporters(app_factory: Callable[..., TestApp]) -> None:
    # Standing counts only agreement that cost something (issue 21): the reporters earn it by answering on three
    # donors' pictures over two days, confirmed by a moderator (a seeded trust record no longer counts).
    app = make(app_factory, ALL_PLUGINS)
    moderator, donor = new_moderator(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    trusted = [standing_client(app, moderator, agree=10, seed=n) for n in range(2)]
    report(app, trusted[0], image_id, "nudity")
    assert image_status(app, moderator, image_id) == "public"  # one proven voter: 2 x 14/16 = 1.75, not enough
    report(app, trusted[1], image_id, "nudity")
    assert image_status(app, moderator, image_id) == "quarantined"


def test_tokens_younger_than_standings_age_stay_fresh(app_factory: Callable[..., TestApp]) -> None:
    """An aged brigade: tokens two days old with no record are still fresh, as validate gives no standing before
    72 hours; three of them cannot hide a picture that three month-old reporters would."""
    app = make(app_factory)
    moderator, donor = new_moderator(app), new_client(app)
    good = donate(app, donor)["image"]["id"]
    for _ in range(3):
        report(app, established_client(app, days=2), good, "violence")
    assert image_status(app, moderator, good) == "public"
    assert queue(app, moderator)["items"][0]["reports"][0]["fresh"] == 3
