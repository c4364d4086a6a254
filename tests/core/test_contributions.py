"""The contribution log, a contributor's summary, and the moderator's revert."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from support import blobs_exist, count_rows, donate, image_keys, jpeg
from webtest import TestApp

from imagemonkey.models import Contribution, Image, ImageLabel, ImageSuggestion, LabelSuggestion, StatDaily
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client


def me(app: TestApp, token: str) -> str:
    return app.get("/api/v1/me", headers=auth(token)).json["id"]


def history(app: TestApp, who: str, token: str, limit: int = 200) -> list[dict[str, Any]]:
    return app.get(f"/api/v1/contributors/{who}/contributions", {"limit": str(limit)},
                   headers=auth(token)).json["contributions"]


def test_every_write_is_logged(app: TestApp, token: str, moderator: str) -> None:
    image = donate(app, token, jpeg(1), labels=("dog", "flying saucer")).json["image"]
    added = app.post_json(f"/api/v1/images/{image['id']}/labels", {"labels": ["cat", "hoverboard"]},
                          headers=auth(token)).json
    app.post_json("/api/v1/label-suggestions", {"name": "jetpack"}, headers=auth(token), status=201)
    log = history(app, me(app, token), moderator)
    kinds = [(entry["kind"], entry["target_id"]) for entry in reversed(log)]
    dog = image["labels"][0]["id"]
    cat = added["labels"][0]["id"]
    assert kinds[:5] == [("image.donate", image["id"]), ("label.suggest", image["id"]), ("label.add", dog),
                         ("label.suggest", image["id"]), ("label.add", cat)]
    assert kinds[5][0] == "label.suggest_name" and len(kinds) == 6
    with app_request(app.app.registry) as request:  # the log entry names the suggestion (one statement on PostgreSQL)
        jetpack = request.dbsession.scalar(select(LabelSuggestion.id).where(LabelSuggestion.name == "jetpack"))
        assert kinds[5][1] == str(jetpack)
        assert request.dbsession.scalar(select(func.sum(StatDaily.count)).where(
            StatDaily.kind == "label.suggest_name")) == 1
    assert all(entry["reverted"] is False and entry["created_at"].endswith("Z") for entry in log)
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "hidden"}, headers=auth(moderator))
    assert [(e["kind"], e["target_id"]) for e in history(app, me(app, moderator), moderator)] == \
        [("image.status", image["id"])]


def test_duplicate_donation_is_not_logged_as_a_donation(app: TestApp, token: str, moderator: str) -> None:
    data = jpeg(2)
    donate(app, token, data)
    donate(app, token, data, status=200)
    assert [e["kind"] for e in history(app, me(app, token), moderator)] == ["image.donate"]


def test_contributions_need_moderator_or_me(app: TestApp, token: str, moderator: str) -> None:
    donate(app, token, jpeg(3))
    mine = me(app, token)
    other = new_client(app)
    refused = app.get(f"/api/v1/contributors/{mine}/contributions", headers=auth(other), status=403)
    assert refused.json["error"]["code"] == "forbidden"
    app.get(f"/api/v1/contributors/{mine}/contributions", status=401)
    app.get("/api/v1/contributors/me/contributions", status=401)
    assert [e["kind"] for e in history(app, "me", token)] == ["image.donate"]
    assert history(app, "me", other) == []
    for missing in ("999999", "abc"):
        answer = app.get(f"/api/v1/contributors/{missing}/contributions", headers=auth(moderator), status=404)
        assert answer.json["error"]["code"] == "not_found"


def test_contributions_pagination_over_many(app: TestApp, token: str) -> None:
    image = donate(app, token, jpeg(5)).json["image"]["id"]
    labels = ["dog", "cat", "bird", "horse", "sheep", "cow", "apple"]
    for name in labels:
        app.post_json(f"/api/v1/images/{image}/labels", {"labels": [name]}, headers=auth(token))
    app.post_json("/api/v1/label-suggestions", {"name": "jetpack"}, headers=auth(token), status=201)
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        page = app.get("/api/v1/contributors/me/contributions", params, headers=auth(token)).json
        seen += page["contributions"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 9 and len({e["id"] for e in seen}) == 9
    assert [e["kind"] for e in seen] == ["label.suggest_name"] + ["label.add"] * 7 + ["image.donate"]
    assert [int(e["id"]) for e in seen] == sorted((int(e["id"]) for e in seen), reverse=True)
    app.get("/api/v1/contributors/me/contributions", {"cursor": "%%%"}, headers=auth(token), status=400)
    app.get("/api/v1/contributors/me/contributions", {"limit": "0"}, headers=auth(token), status=400)


def test_summary_today_and_total(app: TestApp, token: str, moderator: str) -> None:
    image = donate(app, token, jpeg(6), labels=("dog",)).json["image"]["id"]
    app.post_json(f"/api/v1/images/{image}/labels", {"labels": ["cat", "ufo thing"]}, headers=auth(token))
    summary = app.get("/api/v1/contributors/me/summary", headers=auth(token)).json
    assert summary == {"today": 4, "total": 4, "by_kind": {"image.donate": 1, "label.add": 2, "label.suggest": 1},
                       "kinds": {"image.donate": "donations", "label.add": "labels added",
                                 "label.suggest": "new labels suggested for pictures"}}
    assert app.get(f"/api/v1/contributors/{me(app, token)}/summary", headers=auth(moderator)).json == summary
    app.get(f"/api/v1/contributors/{me(app, token)}/summary", headers=auth(new_client(app)), status=403)


def test_revert_undoes_labels_and_donations_and_blocks(app: TestApp, token: str, moderator: str) -> None:
    honest = new_client(app)
    vandal_image = donate(app, token, jpeg(7), labels=("dog", "flying saucer")).json["image"]
    honest_image = donate(app, honest, jpeg(8), labels=("cat",)).json["image"]
    app.post_json(f"/api/v1/images/{honest_image['id']}/labels", {"labels": ["zebra", "hoverboard"]},
                  headers=auth(token))
    app.post_json(f"/api/v1/images/{honest_image['id']}/labels", {"labels": ["bird"]}, headers=auth(honest))
    app.post_json("/api/v1/label-suggestions", {"name": "jetpack"}, headers=auth(token), status=201)
    app.post_json("/api/v1/label-suggestions", {"name": "jetpack"}, headers=auth(honest), status=201)
    vandal = me(app, token)

    answer = app.post(f"/api/v1/contributors/{vandal}/revert", headers=auth(moderator)).json
    assert answer["blocked"] is True
    assert answer["reverted"] == {"label.add": 2, "label.suggest": 2, "label.suggest_name": 1, "image.donate": 1}

    kept = app.get(f"/api/v1/images/{honest_image['id']}").json
    assert [label["label"] for label in kept["labels"]] == ["cat", "bird"]
    app.get(f"/api/v1/images/{vandal_image['id']}", status=404)
    removed = app.get(f"/api/v1/images/{vandal_image['id']}", headers=auth(moderator)).json
    assert removed["status"] == "removed" and removed["labels"] == []
    assert count_rows(app, Image, Image.id == int(honest_image["id"]), Image.label_count == 2) == 1
    assert count_rows(app, ImageSuggestion) == 0
    assert count_rows(app, ImageLabel) == 2
    assert not any(blobs_exist(app, image_keys(app, vandal_image["id"])))  # files deleted after commit
    assert all(blobs_exist(app, image_keys(app, honest_image["id"])))
    assert all(e["reverted"] for e in history(app, vandal, moderator))
    suggestions = {s["name"]: s["usage_count"] for s in app.get("/api/v1/label-suggestions").json["suggestions"]}
    assert suggestions.get("flying saucer", 0) == 0 and suggestions.get("hoverboard", 0) == 0
    assert suggestions["jetpack"] == 1

    blocked = donate(app, token, jpeg(9), status=403)
    assert blocked.json["error"]["code"] == "blocked"
    blocked = app.post_json(f"/api/v1/images/{honest_image['id']}/labels", {"labels": ["dog"]}, headers=auth(token),
                            status=403)
    assert blocked.json["error"]["code"] == "blocked"
    assert app.get("/api/v1/contributors/me/summary", headers=auth(token), status=403)

    again = app.post(f"/api/v1/contributors/{vandal}/revert", headers=auth(moderator)).json
    assert again == {"reverted": {"label.add": 0, "label.suggest": 0, "label.suggest_name": 0, "image.donate": 0},
                     "blocked": True}
    listed = app.get("/api/v1/label-suggestions").json["suggestions"]
    assert suggestions == {s["name"]: s["usage_count"] for s in listed}
    moderator_log = [e["kind"] for e in history(app, me(app, moderator), moderator)]
    assert moderator_log == ["contributor.revert", "contributor.revert", "image.status"]


def test_revert_is_one_transaction(app: TestApp, token: str, moderator: str) -> None:
    """A failing plugin revert hook rolls everything back: nothing reverted, not blocked."""
    from imagemonkey.errors import ApiError
    from imagemonkey.hookspecs import hookimpl

    class Failing:
        @hookimpl(trylast=True)
        def imagemonkey_revert_contributor(self, request: Any, contributor: Any) -> None:
            raise ApiError(409, "cannot_revert", "Not now.")

    image = donate(app, token, jpeg(10), labels=("dog",)).json["image"]["id"]
    app.app.registry.pm.register(Failing())
    app.post(f"/api/v1/contributors/{me(app, token)}/revert", headers=auth(moderator), status=409)
    assert app.get(f"/api/v1/images/{image}").json["labels"][0]["label"] == "dog"
    assert count_rows(app, Contribution, Contribution.reverted.is_(True)) == 0
    app.post_json(f"/api/v1/images/{image}/labels", {"labels": ["cat"]}, headers=auth(token), status=201)


def test_revert_needs_moderator(app: TestApp, token: str, moderator: str) -> None:
    other = new_client(app)
    answer = app.post(f"/api/v1/contributors/{me(app, other)}/revert", headers=auth(token), status=403)
    assert answer.json["error"]["code"] == "forbidden"
    app.post(f"/api/v1/contributors/{me(app, other)}/revert", status=401)
    app.post("/api/v1/contributors/999999/revert", headers=auth(moderator), status=404)
    self_revert = app.post(f"/api/v1/contributors/{me(app, moderator)}/revert", headers=auth(moderator), status=403)
    assert self_revert.json["error"]["code"] == "cannot_revert_self"
    app.post_json("/api/v1/label-suggestions", {"name": "still fine"}, headers=auth(other), status=201)


def test_the_log_in_words_with_links(app: TestApp, token: str, moderator: str) -> None:
    image = donate(app, token, jpeg(21), labels=("dog", "flying saucer")).json["image"]
    app.post_json("/api/v1/label-suggestions", {"name": "jetpack"}, headers=auth(token), status=201)
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "hidden"}, headers=auth(moderator))
    log = {entry["kind"]: entry for entry in history(app, "me", token)}
    words = {kind: (entry["text"], entry.get("url")) for kind, entry in log.items()}
    page = f"/images/{image['id']}"
    assert words == {"image.donate": (f"Donated image {image['id']}", page),
                     "label.add": (f'Labelled image {image["id"]} "dog"', page),
                     "label.suggest": (f"Suggested a label the catalog lacks for image {image['id']}", page),
                     "label.suggest_name": ('Suggested the name "jetpack" for the catalog', None)}
    moderated = history(app, me(app, moderator), moderator)
    assert [(e["text"], e["url"]) for e in moderated] == [(f"Changed the status of image {image['id']}", page)]
    summary = app.get("/api/v1/contributors/me/summary", headers=auth(token)).json
    assert summary["kinds"] == {"image.donate": "donations", "label.add": "labels added",
                                "label.suggest": "new labels suggested for pictures",
                                "label.suggest_name": "names suggested to the catalog"}
    assert app.get("/api/v1/contributors/me/summary", headers=auth(moderator)).json["kinds"] == \
        {"image.status": "status changes"}


@pytest.mark.counters_unchecked("writes a log row by hand, as a plugin that is gone once did")
def test_a_removed_target_still_reads_in_words(app: TestApp, token: str, moderator: str) -> None:
    donate(app, token, jpeg(22), labels=("dog",))
    who = me(app, token)
    app.post(f"/api/v1/contributors/{who}/revert", headers=auth(moderator))  # its labels are deleted
    texts = {e["kind"]: (e["text"], e.get("url")) for e in history(app, who, moderator)}
    assert texts["label.add"] == ("Added a label that has since been removed", None)
    with app_request(app.app.registry) as request:  # a kind nobody describes reads as words, not "owner.verb"
        request.dbsession.add(Contribution(contributor_id=int(who), kind="gone.plugin_thing", target_id="7"))
    assert history(app, who, moderator)[0]["text"] == "Gone plugin thing 7"
    summary = app.get(f"/api/v1/contributors/{who}/summary", headers=auth(moderator)).json
    assert summary["kinds"]["gone.plugin_thing"] == "gone plugin thing"
