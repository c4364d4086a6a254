"""The moderation queue (order, filters, pagination, bad input) and each decision with its revert."""
from __future__ import annotations

from collections.abc import Callable

from report_support import decide, donate, established_client, image_status, make, picture, queue, report
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator


def test_queue_orders_filters_and_pages(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, **{"report.hide_threshold": "100"})
    moderator, donor = new_moderator(app), new_client(app)
    ids = [donate(app, donor, seed=i)["image"]["id"] for i in range(5)]
    counts = [1, 3, 2, 1, 2]
    for image_id, count in zip(ids, counts, strict=True):
        for _ in range(count):
            report(app, new_client(app), image_id, "spam" if image_id == ids[2] else "nudity")
    oldest = queue(app, moderator)["items"]
    assert [item["image"]["id"] for item in oldest] == ids
    most = [item["image"]["id"] for item in queue(app, moderator, order="most_reported")["items"]]
    assert most == [ids[1], ids[4], ids[2], ids[3], ids[0]]
    assert [i["image"]["id"] for i in queue(app, moderator, reason="spam")["items"]] == [ids[2]]
    assert queue(app, moderator, kind="pending")["items"] == []
    assert len(queue(app, moderator, kind="reported")["items"]) == 5
    seen, cursor = [], None
    for order in ("oldest", "most_reported"):
        seen, cursor = [], None
        while True:
            page = queue(app, moderator, order=order, limit=2, **({"cursor": cursor} if cursor else {}))
            seen += [item["image"]["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(ids) and len(seen) == 5
    item = oldest[0]
    assert item["donor"]["donations"] == 5 and item["donor"]["removals"] == 0 and not item["donor"]["more_donations"]
    assert item["screening"] == {"result": None, "error": None, "screened_at": None}


def test_queue_bad_input_and_roles(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, client = new_moderator(app), new_client(app)
    assert app.get("/api/v1/moderation/queue", status=401).json["error"]["code"] == "unauthenticated"
    assert app.get("/api/v1/moderation/queue", headers=auth(client), status=403).json["error"]["code"] == "forbidden"
    for params, status in (({"kind": "odd"}, 422), ({"reason": "ugly"}, 422), ({"order": "random"}, 422),
                           ({"limit": "0"}, 400), ({"limit": "x"}, 400), ({"cursor": "!!"}, 400),
                           ({"cursor": "WzFd"}, 400)):
        error = app.get("/api/v1/moderation/queue", params=params, headers=auth(moderator), status=status).json
        assert error["error"]["code"], params


def test_pre_moderation_donations_wait_in_the_queue(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, **{"imagemonkey.moderation": "pre", "report.screening": "false"})
    moderator, donor = new_moderator(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    items = queue(app, moderator, kind="pending")["items"]
    assert [(i["image"]["id"], i["kind"]) for i in items] == [(image_id, "pending")]
    decision = decide(app, moderator, image_id, "keep")["decision"]
    assert image_status(app, moderator, image_id) == "public" and queue(app, moderator)["items"] == []
    app.post_json(f"/api/v1/moderation/decisions/{decision['id']}/revert", {}, headers=auth(moderator))
    assert image_status(app, moderator, image_id) == "pending"
    assert [i["image"]["id"] for i in queue(app, moderator)["items"]] == [image_id]


def test_keep_dismisses_reports_and_revert_reopens_them(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, donor = new_moderator(app), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    reporters = [established_client(app) for _ in range(3)]
    for token in reporters:
        report(app, token, image_id, "hate")
    assert image_status(app, moderator, image_id) == "quarantined"
    decision = decide(app, moderator, image_id, "keep", reason="a protest sign, not hate")["decision"]
    assert decision["decision"] == "keep" and decision["old_status"] == "quarantined"
    assert decision["reason"] == "a protest sign, not hate" and decision["moderator_id"]
    assert image_status(app, moderator, image_id) == "public" and queue(app, moderator)["items"] == []
    reverted = app.post_json(f"/api/v1/moderation/decisions/{decision['id']}/revert", {},
                             headers=auth(moderator)).json["decision"]
    assert reverted["reverted_at"]
    assert image_status(app, moderator, image_id) == "quarantined"
    item = queue(app, moderator)["items"][0]
    assert item["reports"][0]["count"] == 3 and item["hidden"] is True
    app.post_json(f"/api/v1/moderation/decisions/{decision['id']}/revert", {}, headers=auth(moderator), status=409)
    # the reporters' standing came back too: a new report by one of them weighs 1.0 again
    other = donate(app, donor, seed=7)["image"]["id"]
    report(app, reporters[0], other, "spam")
    assert {i["image"]["id"]: i["score"] for i in queue(app, moderator)["items"]}[other] == 1.0


def test_remove_blocks_redonation_of_copies_and_revert_restores(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, donor, other = new_moderator(app), new_client(app), new_client(app)
    image_id = donate(app, donor, seed=3)["image"]["id"]
    report(app, established_client(app), image_id, "violence")
    decision = decide(app, moderator, image_id, "remove")["decision"]
    assert decision["new_status"] == "hidden" and image_status(app, moderator, image_id) == "hidden"
    app.get(f"/api/v1/images/{image_id}", status=404)
    for who in (other, donor, moderator):  # the same bytes: blocked for everyone, as a near copy is
        assert donate(app, who, seed=3, status=403)["error"]["code"] == "blocked"
    from io import BytesIO

    from PIL import Image as PILImage
    copy = BytesIO()
    PILImage.open(BytesIO(picture(3))).save(copy, "PNG")  # the same picture, other bytes: a near copy
    assert donate(app, other, data=copy.getvalue(), status=403)["error"]["code"] == "blocked"
    second = donate(app, donor, seed=4)["image"]["id"]
    report(app, new_client(app), second, "spam")
    assert queue(app, moderator)["items"][0]["donor"]["removals"] == 1
    decide(app, moderator, second, "keep")
    app.post_json(f"/api/v1/moderation/decisions/{decision['id']}/revert", {}, headers=auth(moderator))
    assert image_status(app, moderator, image_id) == "public"
    assert [i["image"]["id"] for i in queue(app, moderator)["items"]] == [image_id]
    donate(app, other, data=copy.getvalue())  # no longer blocked


def test_remove_and_revert_reverts_and_blocks_the_donor(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, donor = new_moderator(app), new_client(app)
    bad, other = (donate(app, donor, seed=i)["image"]["id"] for i in range(2))
    decision = decide(app, moderator, bad, "remove_and_revert", reason="spam account")["decision"]
    assert image_status(app, moderator, bad) == "removed" and image_status(app, moderator, other) == "removed"
    assert donate(app, donor, seed=9, status=403)["error"]["code"] == "blocked"
    app.post_json(f"/api/v1/moderation/decisions/{decision['id']}/revert", {}, headers=auth(moderator))
    donate(app, donor, seed=9)  # the token works again; the removed donations stay removed
    assert image_status(app, moderator, bad) == "removed"


def test_bad_decisions_are_4xx(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, client = new_moderator(app), new_client(app)
    image_id = donate(app, client)["image"]["id"]
    url = "/api/v1/moderation/decisions"
    app.post_json(url, {"image_id": image_id, "decision": "keep"}, headers=auth(client), status=403)
    for body in ({}, {"image_id": image_id}, {"image_id": "x", "decision": "keep"},
                 {"image_id": image_id, "decision": "burn"}, {"image_id": image_id, "decision": "keep", "reason": 3},
                 {"image_id": True, "decision": "keep"}, {"image_id": "\u00b2", "decision": "keep"},
                 {"image_id": "\u0663", "decision": "keep"}):
        assert app.post_json(url, body, headers=auth(moderator), status=422).json["error"]["field"], body
    app.post_json(url, {"image_id": "999999", "decision": "keep"}, headers=auth(moderator), status=404)
    # beyond any id a column holds (a 500 on PostgreSQL before): no such image
    app.post_json(url, {"image_id": "380652099611", "decision": "keep"}, headers=auth(moderator), status=404)
    app.post("/api/v1/moderation/decisions/123/revert", headers=auth(moderator), status=404)
    app.post("/api/v1/moderation/decisions/abc/revert", headers=auth(moderator), status=404)
    first = decide(app, moderator, image_id, "remove")["decision"]
    decide(app, moderator, image_id, "keep")
    error = app.post(f"/api/v1/moderation/decisions/{first['id']}/revert", headers=auth(moderator), status=409).json
    assert error["error"]["code"] == "conflict"
    assert image_status(app, moderator, image_id) == "public"


def test_a_status_change_elsewhere_ends_the_hold(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, donor, worker = new_moderator(app), new_client(app), new_client(app)
    image_id = donate(app, donor, labels=())["image"]["id"]
    report(app, moderator, image_id, "spam")
    assert image_status(app, moderator, image_id) == "quarantined"
    app.post_json(f"/api/v1/images/{image_id}/status", {"status": "public", "reason": "fine"}, headers=auth(moderator))
    assert queue(app, moderator)["items"][0]["hidden"] is False
    task = app.get("/api/v1/tasks/next", params={"kind": "label"}, headers=auth(worker))
    assert task.status_int == 200 and task.json["task"]["image"]["id"] == image_id
    app.post_json(f"/api/v1/images/{image_id}/status", {"status": "removed"}, headers=auth(moderator))
    assert queue(app, moderator)["items"] == []
