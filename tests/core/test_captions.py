"""Captions over HTTP: adding (with every kind of bad input), listing, voting, the settled caption in Image JSON,
locking, revert, and ``caption:"..."`` queries equal to a brute-force evaluation (SQLite and PostgreSQL)."""
from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest
from sqlalchemy import update
from webtest import TestApp

from imagemonkey.db.transactions import mark_changed
from imagemonkey.export import run_export
from imagemonkey.models import Caption
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, counter_drifts, donate, new_client, new_moderator, recount_counters


def caption(app: TestApp, token: str, image_id: str, text: str, language: str = "en", status: int = 201) -> Any:
    return app.post_json(f"/api/v1/images/{image_id}/captions", {"text": text, "language": language},
                         headers=auth(token), status=status).json


def vote(app: TestApp, token: str, caption_id: str, value: str, status: int = 200) -> Any:
    return app.post_json(f"/api/v1/captions/{caption_id}/votes", {"vote": value}, headers=auth(token),
                         status=status).json


def me(app: TestApp, token: str) -> str:
    return app.get("/api/v1/me", headers=auth(token)).json["id"]


def test_add_and_list_captions(app: TestApp, token: str) -> None:
    image = donate(app, token).json["image"]
    made = caption(app, token, image["id"], "  A   red car parked by the sea. ", "de-at")
    assert made["text"] == "A red car parked by the sea." and made["language"] == "de-AT"
    assert made["score"] == 0 and made["locked"] is False
    for n in range(3):
        caption(app, token, image["id"], f"Caption number {n}", "en")
    page = app.get(f"/api/v1/images/{image['id']}/captions", {"limit": "2"}).json
    assert [c["text"] for c in page["captions"]] == ["A red car parked by the sea.", "Caption number 0"]
    rest = app.get(f"/api/v1/images/{image['id']}/captions", {"limit": "2", "cursor": page["next_cursor"]}).json
    assert [c["text"] for c in rest["captions"]] == ["Caption number 1", "Caption number 2"]
    assert rest["next_cursor"] is None and page["caption"] is None
    log = app.get(f"/api/v1/contributors/{me(app, token)}/contributions", headers=auth(new_moderator(app))).json
    assert sum(entry["kind"] == "caption.add" for entry in log["contributions"]) == 4


@pytest.mark.parametrize(("body", "code"), [
    ({"text": "ok", "language": "en"}, "caption_length"),
    ({"text": "x" * 201, "language": "en"}, "caption_length"),
    ({"text": "A dog. A cat", "language": "en"}, "not_one_sentence"),
    ({"text": "two\nlines here", "language": "en"}, "invalid_text"),
    ({"text": 5, "language": "en"}, "invalid_caption"),
    ({"text": "A dog runs", "language": "english!"}, "invalid_language"),
    ({"text": "A dog runs", "language": "e"}, "invalid_language"),
    ({"text": "A dog runs"}, "invalid_language"),
])
def test_bad_captions_are_422(app: TestApp, token: str, body: dict[str, Any], code: str) -> None:
    image = donate(app, token).json["image"]
    answer = app.post_json(f"/api/v1/images/{image['id']}/captions", body, headers=auth(token), status=422).json
    assert answer["error"]["code"] == code and answer["error"]["message"]


def test_caption_errors_401_404_409(app: TestApp, token: str) -> None:
    image = donate(app, token).json["image"]
    app.post_json(f"/api/v1/images/{image['id']}/captions", {"text": "A dog", "language": "en"}, status=401)
    caption(app, token, "999999", "A dog", status=404)
    for n in range(5):
        caption(app, token, image["id"], f"A dog {n}")
    assert caption(app, token, image["id"], "A dog 5", status=409)["error"]["code"] == "caption_limit"
    assert app.get("/api/v1/images/999999/captions", status=404).json["error"]["code"] == "not_found"


def test_votes_settle_the_caption_and_lock_overrides(app: TestApp, token: str) -> None:
    image = donate(app, token).json["image"]
    first = caption(app, token, image["id"], "A brown dog on grass")
    second = caption(app, token, image["id"], "A dog")
    voters = [new_client(app) for _ in range(3)]
    assert vote(app, token, first["id"], "up", status=403)["error"]["code"] == "own_caption"
    assert vote(app, voters[0], first["id"], "sideways", status=422)["error"]["code"] == "invalid_vote"
    assert vote(app, voters[0], first["id"], ["up"], status=422)["error"]["code"] == "invalid_vote"
    vote(app, voters[0], "999999", "up", status=404)
    vote(app, voters[0], first["id"], "up")
    assert app.get(f"/api/v1/images/{image['id']}").json["caption"] is None  # score 1: not settled
    assert vote(app, voters[1], first["id"], "up")["score"] == 2
    assert app.get(f"/api/v1/images/{image['id']}").json["caption"]["text"] == "A brown dog on grass"
    changed = vote(app, voters[1], first["id"], "down")  # changeable, still one vote
    assert (changed["up"], changed["down"], changed["score"]) == (1, 1, 0)
    assert app.get(f"/api/v1/images/{image['id']}").json["caption"] is None
    for voter in voters:
        vote(app, voter, second["id"], "up")
    assert app.get(f"/api/v1/images/{image['id']}").json["caption"]["id"] == second["id"]
    app.post(f"/api/v1/captions/{first['id']}/lock", headers=auth(token), status=403)
    moderator = new_moderator(app)
    assert app.post(f"/api/v1/captions/{first['id']}/lock", headers=auth(moderator)).json["locked"] is True
    shown = app.get(f"/api/v1/images/{image['id']}").json["caption"]
    assert shown["id"] == first["id"] and shown["locked"] is True
    assert app.get(f"/api/v1/images/{image['id']}/captions").json["caption"] == first["id"]


def test_revert_removes_captions_and_votes(app: TestApp, token: str) -> None:
    honest = new_client(app)
    image = donate(app, honest).json["image"]
    good = caption(app, honest, image["id"], "A cat asleep on a sofa")
    caption(app, token, image["id"], "Buy cheap pills here")
    vote(app, token, good["id"], "down")
    moderator = new_moderator(app)
    answer = app.post(f"/api/v1/contributors/{me(app, token)}/revert", headers=auth(moderator)).json
    assert answer["reverted"]["caption.add"] == 1 and answer["reverted"]["caption.vote"] == 1
    left = app.get(f"/api/v1/images/{image['id']}/captions").json["captions"]
    assert [(c["text"], c["down"], c["score"]) for c in left] == [("A cat asleep on a sofa", 0, 0)]
    assert counter_drifts(app) == []


WORDS = ("red", "car", "blue", "dog", "big", "house")


def test_caption_query_equals_brute_force(app: TestApp, token: str) -> None:
    """Random captions on public images (and one hidden image), random phrases: the query's images equal the
    images whose caption has the phrase's words in a row."""
    rng = random.Random(24)
    texts: dict[str, list[str]] = {}
    for _ in range(12):
        image_id = donate(app, token).json["image"]["id"]
        texts[image_id] = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).capitalize()
                           for _ in range(rng.randint(0, 2))]
        for text in texts[image_id]:
            caption(app, token, image_id, text + "s" * (text.endswith("x")))
    hidden = donate(app, token).json["image"]["id"]
    caption(app, token, hidden, "red car")
    moderator = new_moderator(app)
    app.post_json(f"/api/v1/images/{hidden}/status", {"status": "hidden"}, headers=auth(moderator))
    phrases = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 2))) for _ in range(25)] + ["RED Car", "a"]
    for phrase in phrases:
        wanted = re.findall(r"\w+", phrase.lower())
        expected = sorted((int(i) for i, caps in texts.items()
                           if any(has_run(re.findall(r"\w+", c.lower()), wanted) for c in caps)), reverse=True)
        got = [int(image["id"]) for image in app.get("/api/v1/images", {"q": f'caption:"{phrase}"',
                                                                        "limit": "100"}).json["images"]]
        assert got == expected, phrase
    answer = app.get("/api/v1/images", {"q": 'caption:"red car" & ~caption:blue', "limit": "100"}).json
    assert all(int(image["id"]) != int(hidden) for image in answer["images"])


def has_run(words: list[str], wanted: list[str]) -> bool:
    return any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def test_a_driving_caption_phrase_pages_combines_and_follows_edits(app: TestApp, token: str) -> None:
    """The phrase drives the query from the full-text index in image id order: keyset pages, ANDed with a label
    and a negated caption, never across two captions of one image, one row per image with several matching
    captions, and removed captions (revert) leave the index."""
    other = new_client(app)
    ids = [int(donate(app, token, labels=("dog",) if i % 2 else ()).json["image"]["id"]) for i in range(7)]
    caption(app, token, str(ids[0]), "A red car parked")
    caption(app, token, str(ids[1]), "The red car")
    caption(app, other, str(ids[1]), "Another red car, blue")
    caption(app, token, str(ids[2]), "Something red")
    caption(app, token, str(ids[2]), "car tyres")  # "red" ends one caption, "car" starts the next: no match
    caption(app, token, str(ids[3]), "red_car with blue")
    caption(app, other, str(ids[4]), "red car")
    caption(app, token, str(ids[5]), "a car that is red")
    caption(app, token, str(ids[6]), "RED CAR!")

    def query(q: str, limit: int = 100) -> list[int]:
        found, cursor = [], None
        while True:
            page = app.get("/api/v1/images", {"q": q, "limit": str(limit), **({"cursor": cursor} if cursor else {})})
            found += [int(image["id"]) for image in page.json["images"]]
            cursor = page.json["next_cursor"]
            if cursor is None:
                return found

    matching = [ids[6], ids[4], ids[3], ids[1], ids[0]]
    assert query('caption:"red car"') == matching
    assert query('caption:"red car"', limit=2) == matching
    assert query('caption:"red car"', limit=1) == matching
    assert app.get("/api/v1/images/count", {"q": 'caption:"red car"'}).json == {"count": 5, "capped": False}
    assert app.get("/browse", {"q": 'dog & caption:"red car"'}).text.count('data-image-id="') == 2
    assert query('dog & caption:"red car"') == [i for i in matching if ids.index(i) % 2]
    assert query('caption:"red car" & ~caption:blue', limit=2) == [ids[6], ids[4], ids[0]]
    assert query('caption:"red car" & ~dog | caption:tyres') == [ids[6], ids[4], ids[2], ids[0]]
    assert app.get("/api/v1/images", {"q": 'caption:"red car"', "order": "oldest", "limit": "2"}).json[
        "images"][0]["id"] == str(ids[0])
    moderator = new_moderator(app)
    app.post(f"/api/v1/contributors/{me(app, other)}/revert", headers=auth(moderator))
    assert query('caption:"red car"', limit=2) == [ids[6], ids[3], ids[1], ids[0]]
    assert query('caption:"another red"') == []


def test_json_export_has_captions(app: TestApp, token: str, tmp_path: Any) -> None:
    image = donate(app, token).json["image"]
    plain = donate(app, token).json["image"]
    made = caption(app, token, image["id"], "A red car", "en")
    caption(app, token, image["id"], "Ein rotes Auto", "de")
    for voter in (new_client(app), new_client(app)):
        vote(app, voter, made["id"], "up")
    run_export(app.app.registry, "json", tmp_path / "out", copy_images=False)
    rows = {row["id"]: row for row in map(json.loads, (tmp_path / "out" / "images.jsonl").read_text().splitlines())}
    assert rows[image["id"]]["caption"] == "A red car"
    assert rows[image["id"]]["captions"] == [
        {"text": "A red car", "language": "en", "up": 2, "down": 0, "locked": False},
        {"text": "Ein rotes Auto", "language": "de", "up": 0, "down": 0, "locked": False}]
    assert rows[plain["id"]]["caption"] is None and rows[plain["id"]]["captions"] == []


def test_stats_verify_checks_caption_vote_counts(app: TestApp, token: str) -> None:
    image = donate(app, token).json["image"]
    made = caption(app, token, image["id"], "A dog on a beach")
    vote(app, new_client(app), made["id"], "up")
    assert counter_drifts(app) == []
    with app_request(app.app.registry) as request:
        request.dbsession.execute(update(Caption).where(Caption.id == int(made["id"])).values(up=5))
        mark_changed(request.dbsession)
    assert any("core.caption_votes" in drift for drift in counter_drifts(app))
    recount_counters(app)
    assert app.get(f"/api/v1/images/{image['id']}/captions").json["captions"][0]["up"] == 1
