"""Annotate's counters when others' work goes: a reverted label takes its outline (and the counts) with it."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import RECT, annotate, donate, label_id  # noqa: E402

from imagemonkey.testing import auth, counter_drifts, new_client, new_moderator  # noqa: E402


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
