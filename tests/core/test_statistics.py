"""Statistics from counters kept with every write: per-day series, active contributors, labels, statuses, the page."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.models import StatActive, StatDaily, StatLabel
from imagemonkey.scripting import app_request
from imagemonkey.services.counters import count_daily, shard_of
from imagemonkey.testing import auth, new_client


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def series(stats: dict[str, Any], chart_id: str) -> dict[str, list[int]]:
    charts = [chart for section in stats.values() if isinstance(section, dict) for chart in section.get("charts", [])]
    chart = next(chart for chart in charts if chart["id"] == chart_id)
    return {line["name"]: line["values"] for line in chart["series"]}


def test_counters_follow_writes_status_changes_and_reverts(app: TestApp, token: str, moderator: str) -> None:
    other = new_client(app)
    first = donate(app, token, jpeg(70), labels=("dog", "cat")).json["image"]["id"]
    donate(app, token, jpeg(71), labels=("dog",))
    donate(app, other, jpeg(72), labels=("dog",))
    donate(app, other, jpeg(72), labels=("dog",), status=200)  # a duplicate adds no image and no label
    app.post_json(f"/api/v1/images/{first}/status", {"status": "hidden"}, headers=auth(moderator))
    stats = app.get("/api/v1/statistics").json
    # only what the public may see: the hidden image and its labels are counted nowhere (activity still is)
    assert stats["images"]["by_status"] == {"public": 2}
    assert stats["labels"]["top"] == [{"label": "dog", "count": 2}]
    assert stats["labels"]["image_labels"] == 2
    assert stats["images"]["donations_per_day"] == [{"day": today(), "count": 2}]
    assert series(stats, "donations")["donations"][-1] == 3
    assert stats["activity"]["contributors_per_day"][-1] == {"day": today(), "count": 3}  # two donors, one moderator
    assert len(stats["activity"]["contributors_per_day"]) == 30
    assert series(stats, "labels") == {"images": [2]}

    me = app.get("/api/v1/me", headers=auth(other)).json["id"]
    app.post_json(f"/api/v1/contributors/{me}/revert", {}, headers=auth(moderator))
    after = app.get("/api/v1/statistics").json
    assert after["labels"]["top"] == [{"label": "dog", "count": 1}]
    assert after["images"]["by_status"] == {"public": 1}
    app.post_json(f"/api/v1/images/{first}/status", {"status": "public"}, headers=auth(moderator))
    back = app.get("/api/v1/statistics").json
    assert back["labels"]["top"] == [{"label": "dog", "count": 2}, {"label": "cat", "count": 1}]
    with app_request(app.app.registry) as request:
        assert request.dbsession.scalar(select(func.sum(StatDaily.count)).where(
            StatDaily.day == today(), StatDaily.kind == "contributor.active")) == 3
        assert request.dbsession.scalar(select(StatActive.contributor_id).where(StatActive.day == today())
                                        .order_by(StatActive.contributor_id).limit(1)) is not None
        cats = select(func.sum(StatLabel.images)).where(StatLabel.label == "cat")
        assert request.dbsession.scalar(cats) == 1  # public again


@pytest.mark.counters_unchecked("adds to a counter by hand to see the shards summed")
def test_daily_counts_sum_the_shards_of_concurrent_connections(app: TestApp, token: str) -> None:
    """Sessions holding two connections at once count into two shards; statistics sum them."""
    donate(app, token, jpeg(73))
    factory = app.app.registry["dbsession_factory"]
    one, two = factory(), factory()
    try:
        assert shard_of(one) != shard_of(two)
        for session in (one, two):  # one writer at a time: SQLite has one write lock
            count_daily(session, "image.donate", 2)
            session.commit()
    finally:
        one.close()
        two.close()
    stats = app.get("/api/v1/statistics").json
    assert series(stats, "donations")["donations"][-1] == 5


def test_statistics_page_renders_charts_with_tables_and_scripts(app: TestApp, token: str) -> None:
    donate(app, token, jpeg(73), labels=("dog",))
    page = app.get("/statistics")
    figures = page.html.select("figure.chart")
    assert {figure["id"] for figure in figures} >= {"chart-donations", "chart-contributors", "chart-labels"}
    donations = page.html.select_one("#chart-donations table")
    assert [th.text for th in donations.select("thead th")] == ["Day", "donations", "labels added"]
    assert donations.select("tbody tr")[-1].select("td")[0].text == "1"
    scripts = [script["src"] for script in page.html.select("script")]
    assert any(src.endswith("vendor/chart.js/chart.umd.min.js") for src in scripts)
    assert not page.html.select("script:not([src])")
    assert app.get(next(src for src in scripts if "chart.umd" in src)).body.startswith(b"/*!\n * Chart.js v4")
    assert 'href="/statistics"' in app.get("/").text


def test_chart_kinds_and_axis_titles() -> None:
    from imagemonkey.plugin import chart

    xy = chart("map", "mAP by labels", "xy", [10, 25], {"mAP": [0.5, 0.75]}, x_title="Labels", y_title="mAP")
    assert (xy["kind"], xy["x"], xy["x_title"], xy["y_title"]) == ("xy", [10, 25], "Labels", "mAP")
    assert xy["series"] == [{"name": "mAP", "values": [0.5, 0.75]}]
    assert chart("d", "Days", "line", ["2026-01-01"], {"n": [1]})["x_title"] == ""  # the page picks "Day"
    with pytest.raises(ValueError, match="pie"):
        chart("p", "Pie", "pie", ["a"], {"n": [1]})
