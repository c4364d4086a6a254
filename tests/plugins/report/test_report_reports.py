"""Reports over HTTP: creation, one open report per contributor and image, visibility, bad input, rate limit."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from report_support import donate, established_client, make, queue, report
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator


def test_report_is_created_then_updated(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    donor, reporter = new_client(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    first = report(app, reporter, image_id, "violence")["report"]
    assert first["image_id"] == image_id and first["reason"] == "violence" and first["state"] == "open"
    second = report(app, reporter, image_id, "other", note="a private letter", status=200)["report"]
    assert second["id"] == first["id"] and second["reason"] == "other" and second["note"] == "a private letter"
    items = queue(app, new_moderator(app))["items"]
    assert [(i["image"]["id"], i["kind"], i["reason"]) for i in items] == [(image_id, "reported", "other")]
    assert items[0]["reports"][0]["count"] == 1


def test_report_on_an_image_the_reporter_cannot_see_is_404(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, **{"imagemonkey.moderation": "pre"})
    donor, other = new_client(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    assert report(app, other, image_id, status=404)["error"]["code"] == "not_found"
    assert report(app, other, "999999", status=404)["error"]["code"] == "not_found"
    assert report(app, other, "abc", status=404)["error"]["code"] == "not_found"
    report(app, donor, image_id, "spam")  # the donor sees their pending image


def test_bad_reports_are_4xx_and_store_nothing(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    donor, reporter = new_client(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    url = f"/api/v1/images/{image_id}/reports"
    assert app.post_json(url, {"reason": "nudity"}, status=401).json["error"]["code"] == "unauthenticated"
    for body, field in (({}, "reason"), ({"reason": "ugly"}, "reason"), ({"reason": "other"}, "note"),
                        ({"reason": "spam", "note": 5}, "note"), ({"reason": "spam", "note": "x" * 501}, "note")):
        error = app.post_json(url, body, headers=auth(reporter), status=422).json["error"]
        assert error["field"] == field, body
    error = app.post(url, "{not json", content_type="application/json", headers=auth(reporter), status=400).json
    assert error["error"]["code"]
    assert app.get(url, status=405).json["error"]["code"] == "method_not_allowed"
    assert queue(app, new_moderator(app))["items"] == []


def test_reports_per_hour_are_limited(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, **{"report.max_per_hour": "2"})
    donor, reporter = new_client(app), established_client(app)
    ids = [donate(app, donor, seed=i)["image"]["id"] for i in range(3)]
    report(app, reporter, ids[0])
    report(app, reporter, ids[1])
    report(app, reporter, ids[1], "spam", status=200)  # updating an open report is not a new one
    response = app.post_json(f"/api/v1/images/{ids[2]}/reports", {"reason": "nudity"}, headers=auth(reporter),
                             status=429)
    assert response.json["error"]["code"] == "rate_limited" and response.headers["Retry-After"] == "3600"
    assert len(queue(app, new_moderator(app))["items"]) == 2


def test_bad_settings_stop_start_up(app_factory: Callable[..., TestApp]) -> None:
    from imagemonkey.plugin import SettingError

    for key, value in (("report.hide_threshold", "0"), ("report.max_per_hour", "many"),
                       ("report.nudenet_threshold", "2"), ("report.screening", "maybe"), ("report.hide_thresold", "3")):
        with pytest.raises(SettingError, match=key.replace(".", r"\.")):
            make(app_factory, **{key: value})
