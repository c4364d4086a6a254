"""A self-agreeing brigade (issue 21, item 3): 50 fresh tokens from 2 addresses, one donates 5 pictures
labelled dog, the other 49 vote yes on all five. Their agreement must earn them no standing: their reports
hide nothing, and a fresh token's next donation is not unlocked automatically."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from report_support import ALL_PLUGINS, donate, established_client, image_status, make, queue, report
from webtest import TestApp

from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_moderator, run_jobs, settle_now

ADDRESSES = ("10.66.0.1", "10.66.0.2")


def brigade(app: TestApp, donor: str | None = None, size: int = 50) -> list[str]:
    """``size`` fresh tokens from two addresses; the first (or ``donor``) donates 5 dogs, the others vote yes on
    all of them."""
    tokens = [app.post("/api/v1/clients", extra_environ={"REMOTE_ADDR": ADDRESSES[n % 2]}, status=201).json["token"]
              for n in range(size)]
    label_ids = [donate(app, donor or tokens[0], seed=500 + n)["image"]["labels"][0]["id"] for n in range(5)]
    run_jobs(app)  # screened: public at once on a post-moderation site, for an older donor on a pre-moderation one
    for n, token in enumerate(tokens[1:], start=1):
        answers = app.post_json("/api/v1/votes", {"votes": [{"image_label_id": i, "vote": "yes"} for i in label_ids]},
                                headers=auth(token), extra_environ={"REMOTE_ADDR": ADDRESSES[n % 2]}).json
        assert all(item["ok"] for item in answers["results"])
    settle_now(app)
    return tokens


def standing_of(app: TestApp, token: str) -> dict[str, float]:
    contributor_id = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    with app_request(app.app.registry) as request:
        return request.registry.pm.hook.validate_standing(request=request, contributor_ids=[contributor_id])[
            contributor_id]


def test_brigade_earns_no_standing_and_hides_nothing(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, ALL_PLUGINS)
    moderator, donor = new_moderator(app), established_client(app)
    good = [donate(app, donor, seed=n)["image"]["id"] for n in range(24)]
    tokens = brigade(app)
    assert standing_of(app, tokens[1])["evidence"] == 0.0
    for n, image_id in enumerate(good):
        for token in tokens[2 + 2 * n: 4 + 2 * n]:
            report(app, token, image_id, "nudity")
    assert [image_id for image_id in good if image_status(app, moderator, image_id) != "public"] == []
    scores = [item["score"] for item in queue(app, moderator, limit=30)["items"]]
    assert len(scores) == 24 and max(scores) == pytest.approx(0.2)  # two fresh tokens' reports: 0.1 each


def test_brigade_donation_is_not_unlocked(app_factory: Callable[..., TestApp]) -> None:
    pytest.importorskip("nudenet")
    app = app_factory(plugins=ALL_PLUGINS, **{"imagemonkey.moderation": "pre"})
    moderator = new_moderator(app)
    tokens = brigade(app, donor=established_client(app))  # pending pictures are not votable: an older donor's
    waiting = donate(app, tokens[1], seed=600)["image"]["id"]
    run_jobs(app)
    assert image_status(app, moderator, waiting) == "pending"
    assert any(item["image"]["id"] == waiting and item["kind"] == "pending"
               for item in queue(app, moderator, limit=30)["items"])
    trusted = donate(app, established_client(app), seed=601)["image"]["id"]  # an older token still unlocks
    run_jobs(app)
    assert image_status(app, moderator, trusted) == "public"
