"""Task dispatch and the label task; statistics; the extension's capabilities document."""
from __future__ import annotations

from collections.abc import Callable

from support import donate, jpeg
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator


def next_label_task(app: TestApp, token: str, status: int = 200) -> str | None:
    answer = app.get("/api/v1/tasks/next", {"kind": "label"}, headers=auth(token), status=status)
    if status == 204:
        assert answer.body == b""
        return None
    task = answer.json["task"]
    assert task["kind"] == "label"
    return task["image"]["id"]


def test_kind_is_required(app: TestApp, token: str) -> None:
    answer = app.get("/api/v1/tasks/next", headers=auth(token), status=400)
    assert answer.json["error"]["code"] == "missing_kind"


def test_unknown_kind(app: TestApp, token: str) -> None:
    answer = app.get("/api/v1/tasks/next", {"kind": "juggle"}, headers=auth(token), status=404)
    assert answer.json["error"]["code"] == "unknown_task_kind"
    assert answer.json["error"]["available"] == app.get("/api/v1/info").json["task_kinds"]


def test_unknown_label(app: TestApp, token: str) -> None:
    answer = app.get("/api/v1/tasks/next", {"kind": "label", "label": "zorblax"}, headers=auth(token), status=404)
    assert answer.json["error"]["code"] == "unknown_label"


def test_label_task_offers_unlabeled_public_images(app: TestApp, token: str, moderator: str) -> None:
    next_label_task(app, token, status=204)
    labeled = donate(app, token, jpeg(1), labels=("dog",)).json["image"]["id"]
    hidden = donate(app, token, jpeg(2)).json["image"]["id"]
    app.post_json(f"/api/v1/images/{hidden}/status", {"status": "hidden"}, headers=auth(moderator))
    next_label_task(app, token, status=204)
    unlabeled = donate(app, token, jpeg(3)).json["image"]["id"]
    worker = new_client(app)
    assert next_label_task(app, worker) == unlabeled
    assert unlabeled not in (labeled, hidden)


def test_label_task_never_repeats_the_same_image_twice_in_a_row(app: TestApp, token: str) -> None:
    ids = {donate(app, token, jpeg(10 + n)).json["image"]["id"] for n in range(3)}
    worker = new_client(app)
    given = [next_label_task(app, worker) for _ in range(12)]
    assert set(given) <= ids
    assert all(a != b for a, b in zip(given, given[1:], strict=False))
    # labelling it takes an image out of the pool
    app.post_json(f"/api/v1/images/{given[-1]}/labels", {"labels": ["dog"]}, headers=auth(worker))
    rest = {next_label_task(app, worker) for _ in range(6)}
    assert given[-1] not in rest and rest <= ids


def test_only_image_is_not_offered_twice_in_a_row(app: TestApp, token: str) -> None:
    only = donate(app, token, jpeg(20)).json["image"]["id"]
    worker = new_client(app)
    assert next_label_task(app, worker) == only
    next_label_task(app, worker, status=204)  # asking again skips it
    assert next_label_task(app, new_client(app)) == only


def test_own_pending_images_are_offered_to_their_donor(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.moderation": "pre"})
    donor, other = new_client(app), new_client(app)
    pending = donate(app, donor, jpeg(30)).json["image"]
    assert pending["status"] == "pending"
    assert next_label_task(app, donor) == pending["id"]
    next_label_task(app, other, status=204)
    moderator = new_moderator(app)
    app.post_json(f"/api/v1/images/{pending['id']}/status", {"status": "public"}, headers=auth(moderator))
    assert next_label_task(app, other) == pending["id"]


def test_statistics(app: TestApp, token: str, moderator: str) -> None:
    empty = app.get("/api/v1/statistics").json
    assert empty["images"]["total"] == 0 and empty["labels"]["image_labels"] == 0
    assert empty["labels"]["catalog_size"] > 80
    first = donate(app, token, jpeg(40), labels=("dog", "cat")).json["image"]["id"]
    donate(app, token, jpeg(41), labels=("dog", "flying saucer"))
    app.post_json(f"/api/v1/images/{first}/status", {"status": "hidden"}, headers=auth(moderator))
    stats = app.get("/api/v1/statistics").json
    # only what the public may see: the hidden image and its labels are not counted
    assert stats["images"]["total"] == 1
    assert stats["images"]["by_status"] == {"public": 1}
    assert stats["labels"]["image_labels"] == 1
    assert stats["labels"]["top"] == [{"label": "dog", "count": 1}]
    assert stats["labels"]["suggestions"] == 1
    days = stats["images"]["donations_per_day"]
    assert len(days) == 1 and days[0]["count"] == 1 and len(days[0]["day"]) == 10


def test_extension_document(app: TestApp) -> None:
    document = app.get("/api/v1/extension").json
    assert document["name"] == "ImageMonkey"
    ids = [action["id"] for action in document["actions"]]
    assert ids[:2] == ["donate", "label-donate"]
    for action in document["actions"]:
        assert action["title"] and set(action["contexts"]) <= {"image", "page", "popup"}


def test_info(app: TestApp) -> None:
    info = app.get("/api/v1/info").json
    assert info["name"] == "ImageMonkey" and info["api_version"] == "1"
    assert info["limits"] == {"max_upload_bytes": 20 * 1024 * 1024, "max_pixels": 40_000_000}
    assert info["moderation"] == "post"
