"""Validate's hot counters (``validate_label_count``, ``validate_daily_votes``) kept per connection shard: exact
under concurrent donations and votes, summed by the statistics, recounted and repaired over their shards."""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text
from validate_support import PLUGINS, donate
from webtest import TestApp

from imagemonkey.plugin import write
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, counter_drifts, new_client, recount_counters
from imagemonkey_validate.models import DailyVotes, LabelCount

THREADS = 8
IMAGES_PER_THREAD = 2


def postgres(app: TestApp) -> bool:
    return app.app.registry.settings["sqlalchemy.url"].startswith("postgresql")


def shards(app: TestApp, column: object, where: object) -> int:
    with app_request(app.app.registry) as request:
        return request.dbsession.scalar(select(func.count(func.distinct(column))).where(where))


def test_concurrent_donations_and_votes_keep_the_sharded_counts_exact(app_factory: Callable[..., TestApp]) -> None:
    """Threads donate and vote at once (a transaction each, settled inline by the committing thread, as under
    ``serve``): every subject and every vote is counted once; on PostgreSQL in several shards."""
    app = app_factory(plugins=PLUGINS, **{"validate.settlement": "inline"})
    donors = [new_client(app) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)

    def donating(index: int) -> list[str]:
        client = TestApp(app.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        start.wait()
        return [donate(client, donors[index], ("dog", "cat") if n % 2 else ("dog",),
                       seed=700 + index * IMAGES_PER_THREAD + n)["labels"][0]["id"]
                for n in range(IMAGES_PER_THREAD)]

    with ThreadPoolExecutor(THREADS) as pool:
        labels = [il for ils in pool.map(donating, range(THREADS)) for il in ils]
    voters = [new_client(app) for _ in range(THREADS)]

    def voting(index: int) -> list[int]:
        client = TestApp(app.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        start.wait()
        return [client.post_json(f"/api/v1/image-labels/{il}/votes", {"vote": "yes" if index % 3 else "no"},
                                 headers=auth(voters[index]), status="*").status_int for il in labels]

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [status for answers in pool.map(voting, range(THREADS)) for status in answers]
    assert statuses == [200] * (THREADS * len(labels))
    assert counter_drifts(app) == []
    stats = app.get("/api/v1/statistics").json["validate"]
    images = THREADS * IMAGES_PER_THREAD
    totals = {row["label"]: row["total"] for row in stats["labels"]}
    assert totals == {"dog": images, "cat": images // 2}
    for row in stats["labels"]:
        assert row["open"] + row["verified"] + row["rejected"] + row["contested"] == row["total"]
    assert sum(day["count"] for day in stats["votes_per_day"]) == THREADS * len(labels)
    if postgres(app):
        assert shards(app, LabelCount.shard, LabelCount.label == "dog") > 1
        assert shards(app, DailyVotes.shard, DailyVotes.votes != 0) > 1


@pytest.mark.counters_unchecked("the repair leaves one shard per label; checked by hand")
def test_stats_verify_sums_validate_shards_and_repair_folds_them(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)
    donor = new_client(app)
    donate(app, donor, ("dog",), seed=801)
    donate(app, donor, ("dog", "cat"), seed=802)
    with app_request(app.app.registry) as request:
        write(request, text("INSERT INTO validate_label_count (label, shard, unverified, verified, rejected, "
                            "contested, total) VALUES ('dog', 31, 2, 0, 0, 0, 2), ('cat', 30, -1, 0, 0, 0, -1) "
                            "ON CONFLICT (label, shard) DO UPDATE SET "  # whichever shard a connection wrote
                            "unverified = validate_label_count.unverified + excluded.unverified, "
                            "total = validate_label_count.total + excluded.total"))
    stats = app.get("/api/v1/statistics").json["validate"]
    assert {row["label"]: row["open"] for row in stats["labels"]} == {"dog": 4}  # cat sums to 0: not listed
    assert counter_drifts(app) == ["validate.label_states [cat, total]: stored 0, counted 1",
                                   "validate.label_states [cat, unverified]: stored 0, counted 1",
                                   "validate.label_states [dog, total]: stored 4, counted 2",
                                   "validate.label_states [dog, unverified]: stored 4, counted 2"]
    recount_counters(app)
    assert counter_drifts(app) == []
    with app_request(app.app.registry) as request:
        rows = request.dbsession.execute(select(LabelCount.label, LabelCount.shard, LabelCount.unverified,
                                                LabelCount.total).order_by(LabelCount.label)).all()
    assert [tuple(row) for row in rows] == [("cat", 0, 1, 1), ("dog", 0, 2, 2)]
    stats = app.get("/api/v1/statistics").json["validate"]
    assert [(row["label"], row["open"], row["total"]) for row in stats["labels"]] == [("dog", 2, 2), ("cat", 1, 1)]
