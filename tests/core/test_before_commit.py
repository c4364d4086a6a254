"""``before_commit``: actions run as the request's transaction commits; a failing one aborts it."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from webtest import TestApp

from imagemonkey.plugin import app_request, before_commit, write

COUNT = text("SELECT count(*) FROM stat_daily WHERE kind = 'test.before_commit'")
ADD = text("INSERT INTO stat_daily (day, kind, shard, count) VALUES ('2020-01-01', 'test.before_commit', :shard, 1)")


def test_actions_run_after_the_body_and_their_writes_commit(app: TestApp):
    registry = app.app.registry
    order = []
    with app_request(registry) as request:
        before_commit(request, lambda: (order.append("action"), write(request, ADD, {"shard": 1})))
        order.append("body")
    assert order == ["body", "action"]
    with app_request(registry) as request:
        assert request.dbsession.scalar(COUNT) == 1


def test_a_failing_action_aborts_the_transaction_and_gives_its_connection_back(app: TestApp):
    registry = app.app.registry

    def fail() -> None:
        write(request, ADD, {"shard": 2})
        raise RuntimeError("refused")

    with pytest.raises(RuntimeError, match="refused"), app_request(registry) as request:
        write(request, ADD, {"shard": 3})
        before_commit(request, fail)
    assert registry["db_engine"].pool.checkedout() == 0
    with app_request(registry) as request:
        assert request.dbsession.scalar(COUNT) == 0
