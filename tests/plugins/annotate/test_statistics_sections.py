"""validate's and annotate's statistics sections: counters after votes, outlines and reverts; work lists; the page."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from annotate_support import ELLIPSE, RECT, annotate, donate, label_id  # noqa: E402
from test_annotate_with_validate import verify  # noqa: E402

from imagemonkey.testing import auth, new_client, new_moderator  # noqa: E402

pytest.importorskip("imagemonkey_validate")


def test_sections_count_outlines_votes_and_list_work(app_factory: Any) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    token, outliner = new_client(app), new_client(app)
    first = donate(app, token, ["dog", "cat"], seed=61)
    second = donate(app, token, ["dog"], seed=62)
    verify(app, label_id(first, "dog"))
    annotate(app, outliner, label_id(first, "dog"), [RECT, ELLIPSE])
    annotate(app, outliner, label_id(second, "dog"), [RECT])
    stats = app.get("/api/v1/statistics").json
    assert stats["annotate"]["annotated_labels"] == 2
    assert stats["annotate"]["top_labels"] == [{"label": "dog", "count": 2}]
    assert sum(day["shapes"] for day in stats["annotate"]["per_day"]) == 3
    outlines = next(chart for chart in stats["annotate"]["charts"] if chart["id"] == "outlines")
    assert outlines["series"][0]["values"][-1] == 2
    fewest = stats["annotate"]["work"]["items"]
    assert fewest[0] == {"label": "cat", "text": "0 of 1 outlined", "href": "/annotate?label=cat"}
    unverified = stats["validate"]["work"]["items"]
    # validate counts its subjects: the two dog labels and the two dog outlines, one of them verified
    assert {"label": "dog", "text": "3 of 4 still to check", "href": "/validate?label=dog"} in unverified
    votes = next(chart for chart in stats["validate"]["charts"] if chart["id"] == "votes")
    assert votes["series"][0]["values"][-1] >= 1 and len(votes["x"]) == 30

    me = app.get("/api/v1/me", headers=auth(outliner)).json["id"]
    app.post_json(f"/api/v1/contributors/{me}/revert", {}, headers=auth(new_moderator(app)))
    assert app.get("/api/v1/statistics").json["annotate"]["annotated_labels"] == 0

    page = app.get("/statistics")
    assert page.html.select_one("#chart-votes") and page.html.select_one("#chart-verified")
    assert page.html.select_one('.work a[href="/validate?label=dog"]')
