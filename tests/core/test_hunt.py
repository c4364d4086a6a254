"""The image hunt (``GET /api/v1/me/hunt``, ``/hunt``): labels from the statistics' work lists, ticked off by a
contributor's donations once others verify the label on them."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support import donate, jpeg
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator, settle_now

NAMES = ("cat", "dog", "kite")


def small_catalog(tmp_path: Path) -> dict[str, str]:
    """Settings for a catalog of three labels, so that every one of them stays on core's "fewest pictures" list."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    labels = [{"name": name, "description": f"a {name}", "plural": name + "s"} for name in NAMES]
    (folder / "small.json").write_text(json.dumps({"labels": labels}))
    return {"imagemonkey.labels_dir": str(folder)}


def hunt(app: TestApp, token: str) -> dict[str, dict[str, Any]]:
    answer = app.get("/api/v1/me/hunt", headers=auth(token)).json
    assert answer["total"] == len(answer["hunt"]) <= 20
    return {item["label"]: item for item in answer["hunt"]}


def test_the_hunt_lists_the_labels_with_the_fewest_pictures(app_factory: Callable[..., TestApp],
                                                           tmp_path: Path) -> None:
    app = app_factory(**small_catalog(tmp_path))
    other = new_client(app)
    donate(app, other, jpeg(1), labels=("dog",))
    items = app.get("/api/v1/me/hunt", headers=auth(new_client(app))).json["hunt"]
    assert [item["label"] for item in items] == ["cat", "kite", "dog"]  # fewest public pictures first
    assert items[0] == {"label": "cat", "reason": "Labels with the fewest pictures: 0 public pictures",
                        "status": "none", "image_id": None}
    assert items[2]["reason"].endswith("1 public pictures") and items[2]["status"] == "none"  # another's picture


def test_a_donation_marks_its_labels_donated_for_its_donor_only(app_factory: Callable[..., TestApp],
                                                                tmp_path: Path) -> None:
    app = app_factory(**small_catalog(tmp_path))
    donor, stranger = new_client(app), new_client(app)
    image = donate(app, donor, jpeg(2), labels=("kite", "cat")).json["image"]["id"]
    mine = hunt(app, donor)
    assert mine["kite"]["status"] == mine["cat"]["status"] == "donated"
    assert mine["kite"]["image_id"] == image and mine["dog"] == {**mine["dog"], "status": "none", "image_id": None}
    assert {item["status"] for item in hunt(app, stranger).values()} == {"none"}


def test_a_label_verified_by_others_is_ticked_off(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    app = app_factory(plugins=("validate",), **small_catalog(tmp_path))
    donor = new_client(app)
    image = donate(app, donor, jpeg(3), labels=("cat", "dog")).json["image"]
    cat = next(label["id"] for label in image["labels"] if label["label"] == "cat")
    app.post_json(f"/api/v1/image-labels/{cat}/votes", {"vote": "yes"}, headers=auth(new_moderator(app)))
    settle_now(app)
    mine = hunt(app, donor)
    assert (mine["cat"]["status"], mine["cat"]["image_id"]) == ("verified", image["id"])
    assert mine["dog"]["status"] == "donated" and mine["kite"]["status"] == "none"
    assert app.get("/api/v1/me/hunt", headers=auth(donor)).json["verified"] == 1


def test_the_hunt_follows_a_claimed_token(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    app = app_factory(**small_catalog(tmp_path))
    anonymous = new_client(app)
    donate(app, anonymous, jpeg(4), labels=("dog",))
    account = app.post_json("/api/v1/accounts", {"username": "hunter", "password": "plum-harbor-quietly-77",
                                                 "claim": True}, headers=auth(anonymous), status=201).json["token"]
    assert hunt(app, account)["dog"]["status"] == "donated"


def test_the_hunt_needs_a_token(app: TestApp) -> None:
    error = app.get("/api/v1/me/hunt", status=401).json["error"]
    assert error["code"] == "unauthenticated" and error["message"]
    assert app.get("/api/v1/me/hunt", headers=auth("not-a-token"), status=401).json["error"]["code"]


def test_the_hunt_page_links_each_label_to_a_prefilled_donation(app_factory: Callable[..., TestApp],
                                                                tmp_path: Path) -> None:
    app = app_factory(**small_catalog(tmp_path))
    page = app.get("/hunt").html
    rows = page.select("#hunt li")
    assert [row["data-label"] for row in rows] == list(("cat", "dog", "kite"))
    assert [row.select_one("a.hunt-donate")["href"] for row in rows] == [f"/donate?label={name}" for name in NAMES]
    assert rows[0].select_one("a.hunt-donate").text == "Donate a picture of cat"
    assert "/hunt" in {a["href"] for a in app.get("/").html.select(".site-header nav a")}
    assert "/hunt" in {a.get("href") for a in app.get("/me").html.select("main a")}  # the profile link has none yet
    statistics = app.get("/statistics").html
    assert "/donate?label=cat" in {a["href"] for a in statistics.select(".work a")}


def test_a_find_stays_on_the_hunt_while_its_label_still_needs_pictures(app: TestApp) -> None:
    donor, others = new_client(app), new_client(app)
    for seed in range(10, 20):  # dog has enough public pictures: a dog picture is no find
        donate(app, others, jpeg(seed), labels=("dog",))
    first = app.get("/api/v1/me/hunt", headers=auth(donor)).json["hunt"][0]
    assert first["reason"] == "Labels with the fewest pictures: 0 public pictures"
    image = donate(app, donor, jpeg(5), labels=(first["label"], "dog")).json["image"]["id"]
    items = app.get("/api/v1/me/hunt", headers=auth(donor)).json["hunt"]
    mine = {item["label"]: item for item in items}
    assert mine[first["label"]] == {"label": first["label"], "status": "donated", "image_id": image,
                                    "reason": "Found by you: it has fewer than 10 public pictures"}
    assert items[-1]["label"] == first["label"] and "dog" not in mine
    theirs = app.get("/api/v1/me/hunt", headers=auth(others)).json["hunt"]
    assert first["label"] not in {item["label"] for item in theirs}  # another's find is not theirs
