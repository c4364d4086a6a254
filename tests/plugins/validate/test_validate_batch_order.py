"""Batch votes on the same labels from many threads, half in reverse order: no deadlock, no 5xx (issue 21, item 6).

A batch marks each item's subject pending (``UPDATE ... RETURNING``, a row lock until commit). Taken in
the order the client sent them, two batches naming the same subjects in opposite orders each hold a row
the other waits for: on PostgreSQL one of them dies with ``DeadlockDetected``. Batches now take their
subjects in key order, whatever order they came in, and answer in the order they came in.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from sqlalchemy import func, select
from validate_support import PLUGINS, donate
from webtest import TestApp

from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client, settle_now
from imagemonkey_validate.models import Vote

THREADS = 8
BATCHES = 40
LABELS = 4


def test_batches_in_opposite_orders_never_deadlock(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS, **{"validate.max_votes": "50", "validate.contested_votes": "50"})
    donor = new_client(app)
    labels = [donate(app, donor, ("dog",), seed=70 + i)["labels"][0]["id"] for i in range(LABELS)]
    voters = [new_client(app) for _ in range(THREADS)]
    statuses: Counter[int] = Counter()
    wrong_order: list[list[str]] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def voter(index: int) -> None:
        client = TestApp(app.app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        order = labels if index % 2 == 0 else list(reversed(labels))
        start.wait()
        for batch in range(BATCHES):
            value = "yes" if (batch + index) % 2 else "no"
            response = client.post_json("/api/v1/votes", {"votes": [{"image_label_id": il, "vote": value}
                                                                     for il in order]},
                                        headers=auth(voters[index]), status="*")
            with lock:
                statuses[response.status_int] += 1
                if response.status_int == 200:
                    answered = [item["image_label"]["id"] for item in response.json["results"]]
                    if answered != order:
                        wrong_order.append(answered)

    threads = [threading.Thread(target=voter, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == {200: THREADS * BATCHES}, statuses
    assert wrong_order == []  # each answer lists its items in the order they were sent
    settle_now(app)
    with app_request(app.app.registry) as request:
        votes = dict(request.dbsession.execute(select(Vote.subject_id, func.count()).group_by(Vote.subject_id)).all())
    assert votes == {int(il): THREADS for il in labels}


def test_a_batch_answers_bad_and_good_items_in_the_order_sent(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)
    donor = new_client(app)
    first, second = (donate(app, donor, ("dog",), seed=90 + i)["labels"][0]["id"] for i in range(2))
    results = app.post_json("/api/v1/votes", {"votes": [
        {"image_label_id": second, "vote": "yes"}, {"image_label_id": "999999", "vote": "yes"}, "nonsense",
        {"image_label_id": first, "vote": "maybe"}, {"image_label_id": first, "vote": "no"}]},
        headers=auth(new_client(app))).json["results"]
    assert [(item["ok"], item.get("image_label", {}).get("id")) for item in results] == [
        (True, second), (False, None), (False, None), (False, None), (True, first)]
    assert [item["error"]["code"] for item in results if not item["ok"]] == ["not_found", "invalid",
                                                                            "invalid_vote"]
