"""``GET /api/v1/validate/agreement``: answers, settled ones and agreement with the settled state."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from webtest import TestApp

sys.path.insert(0, str(Path(__file__).parent))
from validate_support import PLUGINS, donate, vote  # noqa: E402

from imagemonkey.testing import auth, new_client, new_moderator, settle_now  # noqa: E402


def test_agreement_counts_only_settled_answers(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS)
    donor, me, moderator = new_client(app), new_client(app), new_moderator(app)
    labels = [donate(app, donor, ("dog",), seed=600 + i)["labels"][0]["id"] for i in range(4)]
    vote(app, me, labels[0], "yes")
    vote(app, me, labels[1], "yes")
    vote(app, me, labels[2], "unsure")
    vote(app, me, labels[3], "no")
    vote(app, moderator, labels[0], "yes")  # a moderator's answer settles: verified, I agreed
    vote(app, moderator, labels[1], "no")  # rejected: I did not agree
    settle_now(app)  # votes settle off the request path
    found = app.get("/api/v1/validate/agreement", headers=auth(me)).json
    assert found == {"answers": 4, "settled": 2, "agreed": 1}
    assert app.get("/api/v1/validate/agreement", status=401).json["error"]["code"] == "unauthenticated"
