"""The browse page and the count endpoint over HTTP: queries, empty results and mistakes never show the 404 page."""
from __future__ import annotations

import pytest
from webtest import TestApp

import imagemonkey.services.browse as browse
from imagemonkey.query.dataset import insert_images
from imagemonkey.scripting import app_request

NOT_FOUND_TEXT = "There is nothing at this address"


@pytest.fixture
def site(app: TestApp) -> TestApp:
    with app_request(app.app.registry) as request:
        insert_images(request.dbsession, [(i, 100 + i, 100, "public", ("dog",) if i % 2 else ("dog", "cat"))
                                          for i in range(1, 121)])
    return app


def test_query_page_shows_matches_count_and_a_next_cursor(site: TestApp) -> None:
    page = site.get("/browse", {"q": "dog & ~cat"})
    assert page.html.select("#results li.tile") and len(page.html.select("#results > li.tile")) == 50
    assert "60 images match" in page.html.select_one("#query-status").text
    assert page.html.select_one("#results")["data-next"]
    assert page.html.select_one("#results")["data-query"] == "dog & ~cat"
    assert [chip.text for chip in page.html.select("#results > li.tile")[0].select(".chips li")] == ["dog"]
    assert any(tag["src"].endswith("browse.js") for tag in page.html.select('script[type="module"]'))
    assert not page.html.select("script:not([src])")  # nothing inline: works under script-src 'self'


def test_label_of_a_plural_and_empty_results_show_the_query(site: TestApp) -> None:
    assert len(site.get("/browse", {"label": "dogs"}).html.select("#results > li.tile")) == 50
    empty = site.get("/browse", {"q": "cat & ~dog"})
    assert "No image matches" in empty.text and "cat &amp; ~dog" in empty.text
    assert NOT_FOUND_TEXT not in empty.text


@pytest.mark.parametrize(("params", "message"), [
    ({"label": "zorblax"}, "not a label"), ({"q": "dog & (cat"}, "ends too early"), ({"q": "frozen:dog"}, "prefix"),
])
def test_mistakes_show_the_browse_page_with_the_error(site: TestApp, params: dict[str, str], message: str) -> None:
    page = site.get("/browse", params, status=400)
    assert message in page.html.select_one("#query-status").text
    assert page.html.select_one(".query-caret") is not None
    assert NOT_FOUND_TEXT not in page.text
    assert page.html.select_one("#q")["value"] == next(iter(params.values()))


def test_count_endpoint(site: TestApp) -> None:
    assert site.get("/api/v1/images/count", {"q": "cat"}).json == {"count": 60, "capped": False}
    assert site.get("/api/v1/images/count", {"q": "puppy | width > 1000"}).json == {"count": 120, "capped": False}
    error = site.get("/api/v1/images/count", {"q": "dog |"}, status=400).json["error"]
    assert (error["code"], error["position"]) == ("query_syntax", 5)
    assert site.get("/api/v1/images/count", status=400).json["error"]["code"] == "missing_query"


def test_count_is_capped(app: TestApp, monkeypatch: pytest.MonkeyPatch) -> None:
    with app_request(app.app.registry) as request:
        insert_images(request.dbsession, [(i, 10, 10, "public", ("dog",)) for i in range(1, 13)])
    monkeypatch.setattr(browse, "COUNT_CAP", 10)  # the real cap is 10,000: the same code path with fewer rows
    assert app.get("/api/v1/images/count", {"q": "dog"}).json == {"count": 10, "capped": True}


def test_tiles_carry_their_picture_and_no_slots_without_plugins(site: TestApp) -> None:
    """browse.js builds the tiles of later pages; each tile, either way, names its picture for page slots."""
    first = site.get("/browse").html
    ids = [tile["data-image-id"] for tile in first.select("#results > li.tile")]
    assert ids == [str(i) for i in range(120, 70, -1)]
    next_ids = [str(i) for i in range(70, 20, -1)]
    assert first.select_one("template#tile-slots") is None and not first.select(".slot")  # no plugin adds any
    more = first.select_one("#more a")["href"]  # the "More →" link without JavaScript: the next page, same tiles
    second = site.get("/browse" + more).html
    assert [tile["data-image-id"] for tile in second.select("#results > li.tile")] == next_ids
    cursor = first.select_one("#results")["data-next"]  # what browse.js asks for as you scroll
    api = site.get("/api/v1/images", {"cursor": cursor, "limit": "50"}).json["images"]
    assert [image["id"] for image in api] == next_ids
