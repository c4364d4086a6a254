"""Annotate's counters when others' work goes: a reverted label takes its outline (and the counts) with it."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.plugin import write  # noqa: E402
from imagemonkey.scripting import app_request  # noqa: E402
from imagemonkey.testing import auth, counter_drifts, new_client, new_moderator, recount_counters  # noqa: E402
from imagemonkey_annotate.models import LabelCount  # noqa: E402


def test_reverting_a_labeller_uncounts_the_outlines_of_their_labels(app_factory: Any) -> None:
    app = app_factory(plugins=("annotate",))
    donor, labeller, outliner = new_client(app), new_client(app), new_client(app)
    image = donate(app, donor, ["dog"], seed=71)
    cat_id = label_id(app.post_json(f"/api/v1/images/{image['id']}/labels", {"labels": ["cat"]},
                                    headers=auth(labeller), status=201).json, "cat")
    annotate(app, outliner, cat_id, [RECT, RECT | {"x": 50}])
    annotate(app, outliner, label_id(image, "dog"), [RECT])
    assert app.get("/api/v1/statistics").json["annotate"]["annotated_labels"] == 2
    me = app.get("/api/v1/me", headers=auth(labeller)).json["id"]
    app.post_json(f"/api/v1/contributors/{me}/revert", {}, headers=auth(new_moderator(app)))
    stats = app.get("/api/v1/statistics").json["annotate"]
    assert stats["annotated_labels"] == 1 and stats["top_labels"] == [{"label": "dog", "count": 1}]
    assert sum(day["shapes"] for day in stats["per_day"]) == 1
    assert counter_drifts(app) == []


@pytest.mark.counters_unchecked("the repair leaves one shard per label; checked by hand")
def test_outlined_labels_are_summed_over_their_shards_and_repair_folds_them(app_factory: Any) -> None:
    app = app_factory(plugins=("annotate",))
    donor, outliner = new_client(app), new_client(app)
    image = donate(app, donor, ["dog", "cat"], seed=72)
    annotate(app, outliner, label_id(image, "dog"), [RECT])
    with app_request(app.app.registry) as request:
        write(request, text("INSERT INTO annotate_label_count (label, shard, outlined) "  # whichever shard wrote
                            "VALUES ('dog', 31, 2), ('cat', 30, 1) ON CONFLICT (label, shard) "
                            "DO UPDATE SET outlined = annotate_label_count.outlined + excluded.outlined"))
    stats = app.get("/api/v1/statistics").json["annotate"]
    assert stats["annotated_labels"] == 4
    assert stats["top_labels"] == [{"label": "dog", "count": 3}, {"label": "cat", "count": 1}]
    assert counter_drifts(app) == ["annotate.outlined_labels [cat]: stored 1, counted 0",
                                   "annotate.outlined_labels [dog]: stored 3, counted 1"]
    recount_counters(app)
    assert counter_drifts(app) == []
    with app_request(app.app.registry) as request:
        rows = request.dbsession.execute(select(LabelCount.label, LabelCount.shard, LabelCount.outlined)).all()
    assert [tuple(row) for row in rows] == [("dog", 0, 1)]
    assert app.get("/api/v1/statistics").json["annotate"]["top_labels"] == [{"label": "dog", "count": 1}]
