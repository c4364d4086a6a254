"""``?order=fewest_votes`` (validate's browse order) over HTTP: images whose labels have the fewest votes first, keyset
pages, with a query, on the browse page, the index it reads, and the 400s (with and without validate)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text
from validate_support import PLUGINS, donate, vote
from webtest import TestApp

from imagemonkey.models import Image
from imagemonkey.scripting import app_request
from imagemonkey.services.browse_orders import browse_orders
from imagemonkey.testing import new_client, settle_now


@pytest.fixture
def vapp(app_factory: Callable[..., TestApp]):
    return app_factory(plugins=PLUGINS)


def ids(app: TestApp, **params: Any) -> list[int]:
    """Every image of the order, page after page (``limit`` from ``params``)."""
    found, cursor = [], None
    while True:
        page = app.get("/api/v1/images", {**params, "order": "fewest_votes", **({"cursor": cursor} if cursor else {})})
        found += [int(image["id"]) for image in page.json["images"]]
        cursor = page.json["next_cursor"]
        if cursor is None:
            return found


def test_fewest_votes_first_in_pages_with_a_query(vapp: TestApp) -> None:
    donor = new_client(vapp)
    voters = [new_client(vapp) for _ in range(3)]
    a = donate(vapp, donor, ("dog",), seed=1)
    b = donate(vapp, donor, ("dog", "cat"), seed=2)
    c = donate(vapp, donor, ("cat",), seed=3)
    d = donate(vapp, donor, ("dog",), seed=4)
    bare = donate(vapp, donor, (), seed=5)
    label = {(image["id"], item["label"]): item["id"] for image in (a, b, c, d) for item in image["labels"]}
    for voter in voters[:2]:
        vote(vapp, voter, label[(a["id"], "dog")], "yes")
    vote(vapp, voters[0], label[(b["id"], "dog")], "yes")
    for voter in voters:
        vote(vapp, voter, label[(c["id"], "cat")], "no")
    vote(vapp, voters[0], label[(d["id"], "dog")], "yes")
    settle_now(vapp)
    # least-voted label: b 0 (cat), a 2, c 3, d 1; ties by id; bare has nothing to vote on
    expected = [int(b["id"]), int(d["id"]), int(a["id"]), int(c["id"])]
    assert ids(vapp, limit=50) == expected
    assert ids(vapp, limit=1) == expected
    assert ids(vapp, limit=3) == expected
    assert int(bare["id"]) not in ids(vapp, q="unlabeled | dog", limit=2)
    assert ids(vapp, q="dog & ~cat", limit=1) == [int(d["id"]), int(a["id"])]
    assert ids(vapp, label="cat", limit=1) == [int(b["id"]), int(c["id"])]
    vote(vapp, voters[1], label[(b["id"], "cat")], "yes")
    vote(vapp, voters[2], label[(b["id"], "cat")], "yes")
    settle_now(vapp)
    assert ids(vapp, limit=2) == [int(b["id"]), int(d["id"]), int(a["id"]), int(c["id"])]  # b's dog still has 1
    vote(vapp, voters[1], label[(b["id"], "dog")], "yes")
    vote(vapp, voters[2], label[(b["id"], "dog")], "yes")
    settle_now(vapp)
    assert ids(vapp, limit=2) == [int(d["id"]), int(a["id"]), int(b["id"]), int(c["id"])]  # a and b: 2 each
    page = vapp.get("/browse", {"order": "fewest_votes"})
    assert page.text.index(f'data-image-id="{d["id"]}"') < page.text.index(f'data-image-id="{c["id"]}"')
    assert '<option value="fewest_votes" selected>' in page.text


@pytest.mark.parametrize("cursor", ["MQ", "WzEsICJ4Il0", "WzEsIDIsIDNd", "WzEsIC0xXQ", "%%%"])
def test_bad_cursors_are_400(vapp: TestApp, cursor: str) -> None:
    error = vapp.get("/api/v1/images", {"order": "fewest_votes", "cursor": cursor}, status=400).json["error"]
    assert error["code"] == "invalid_cursor"


def test_without_validate_the_order_is_a_clear_400(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory()
    error = app.get("/api/v1/images", {"order": "fewest_votes"}, status=400).json["error"]
    assert error["code"] == "order_unavailable" and "validate plugin" in error["message"]
    assert "newest" in error["message"]
    assert "fewest_votes" not in app.get("/browse").text
    assert app.get("/browse", {"order": "fewest_votes"}, status=400).text.count("validate plugin") == 1


def test_the_order_reads_the_vote_count_index(vapp: TestApp) -> None:
    registry = vapp.app.registry
    order = browse_orders(registry)["fewest_votes"]
    with app_request(registry) as request:
        bind = request.dbsession.get_bind()
        page = order.order(select(Image).where(Image.status == "public"), [0, 5]).limit(51)
        compiled = page.compile(bind, compile_kwargs={"literal_binds": True})
        if bind.dialect.name == "sqlite":
            found = "\n".join(str(row[-1]) for row in request.dbsession.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "ix_validate_subject_kind_votes_image" in found and "TEMP B-TREE" not in found, found
        else:
            request.dbsession.execute(text("SET LOCAL enable_seqscan = off"))
            found = "\n".join(row[0] for row in request.dbsession.execute(text(f"EXPLAIN {compiled}")))
            assert "ix_validate_subject_kind_votes_image" in found and "Sort" not in found, found
