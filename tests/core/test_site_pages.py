"""The site's pages over HTTP: each renders with its module script and nothing inline; the image page; ?donor=me."""
from __future__ import annotations

import pytest
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.testing import auth


@pytest.mark.parametrize(("path", "page_scripts", "heading"), [
    ("/login", ["login.js"], "Log in"), ("/moderate", ["moderate.js", "suggestions.js"], "Moderate"),
    ("/me", ["me.js"], "Your contributions"), ("/donate", ["donate.js"], "Donate pictures"),
    ("/signup", ["signup.js"], "Sign up"),
])
def test_pages_render_with_module_scripts_only(app: TestApp, path: str, page_scripts: list[str], heading: str) -> None:
    page = app.get(path)
    assert page.html.select_one("h1").text == heading
    scripts = page.html.select("script")
    assert [tag["src"].rsplit("/", 1)[1] for tag in scripts] == ["account.js", *page_scripts]  # header, page
    assert {tag["type"] for tag in scripts} == {"module"}
    assert not [tag for tag in page.html.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    assert app.get(scripts[1]["src"]).content_type == "text/javascript"


def test_navigation_offers_the_new_pages(app: TestApp) -> None:
    header = app.get("/").html.select_one(".site-header")
    assert {"/browse", "/statistics", "/donate"} <= {a["href"] for a in header.select("nav a")}
    assert [a["href"] for a in header.select("#account a")] == ["/me", "/login"]  # a visitor's, until account.js


def test_every_page_has_a_description(app: TestApp) -> None:
    for path in ("/", "/browse", "/statistics", "/donate", "/me", "/login", "/moderate", "/labels", "/labels/dog"):
        description = app.get(path).html.select_one('head meta[name="description"]')
        assert description is not None and len(description["content"]) > 50, path


def test_image_page_shows_labels_and_date_in_words(app: TestApp, token: str) -> None:
    image = donate(app, token, jpeg(80), labels=("dog", "cat")).json["image"]
    page = app.get(f"/images/{image['id']}")
    assert [item["data-label"] for item in page.html.select("ul.labels li")] == ["dog", "cat"]
    assert page.html.select_one("time")["datetime"] == image["created_at"]
    assert page.html.select_one("time").text == "just now"
    assert page.html.select_one("figure svg.outlines")["viewbox"] == f"0 0 {image['width']} {image['height']}"
    assert page.html.select_one("title").text.startswith("dog, cat")


def test_donor_me_lists_only_your_donations(app: TestApp, token: str) -> None:
    other = app.post("/api/v1/clients", status=201).json["token"]
    mine = donate(app, token, jpeg(81)).json["image"]["id"]
    donate(app, other, jpeg(82))
    found = app.get("/api/v1/images", {"donor": "me"}, headers=auth(token)).json["images"]
    assert [image["id"] for image in found] == [mine]
    assert app.get("/api/v1/images", {"donor": "me"}, status=401).json["error"]["code"] == "unauthenticated"
    assert app.get("/api/v1/images", {"donor": "7"}, headers=auth(token), status=400).json["error"]["code"] == \
        "invalid_donor"


def test_home_counts_come_from_the_counters(app: TestApp, token: str) -> None:
    donate(app, token, jpeg(83), labels=("dog", "cat"))
    home = app.get("/").html
    assert home.select_one("#count-images").text == "1"
    assert home.select_one("#count-labels").text == "2"
