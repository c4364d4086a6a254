"""The /labels pages: the catalog as a graph (parents, kinds, parts, scene flag), counts from the counters, example
pictures of public images only, pages of labels, one page per label, linked from /browse."""
from __future__ import annotations

import re

from sqlalchemy import text
from webtest import TestApp

from imagemonkey.db.transactions import mark_changed
from imagemonkey.query.dataset import insert_images
from imagemonkey.scripting import app_request


def card(page: str, name: str) -> str:
    """The card of label ``name`` on a /labels page."""
    found = re.search(rf'<li class="label-card" data-label="{re.escape(name)}">(.*?)</li>\n', page, re.S)
    assert found, name
    return found.group(1)


def test_labels_page_shows_the_graph_counts_and_examples(app: TestApp) -> None:
    with app_request(app.app.registry) as request:
        insert_images(request.dbsession, [(1, 10, 10, "public", ("bear", "cat")), (2, 10, 10, "public", ("bear",)),
                                          (3, 10, 10, "pending", ("bear",))])
    page = app.get("/labels").text
    bear = card(page, "bear")
    assert '<dd class="count">2</dd>' in bear  # the pending image is not counted (nor shown)
    assert '<a href="/labels/mammal">mammal</a>' in bear  # its parent
    assert '<a href="/labels/bear/head">bear/head</a>' in bear  # its parts
    assert '/images/2"' in bear and '/images/1"' in bear and '/images/3"' not in bear
    animal = card(page, "animal")
    assert '<a href="/labels/mammal">mammal</a>' in card(page, "animal") and "Kinds" in animal
    assert '<dd class="count">0</dd>' in animal and "examples" not in animal
    assert "More labels" in page and 'class="label-card" data-label="zebra"' not in page  # a page at a time
    after = app.get("/labels", {"after": "bear"}).text
    assert 'data-label="bear"' not in after and 'data-label="bear/ear"' in after


def test_every_label_is_on_one_of_the_pages(app: TestApp) -> None:
    seen: list[str] = []
    params: dict[str, str] = {}
    for _ in range(30):
        page = app.get("/labels", params).text
        seen += re.findall(r'class="label-card" data-label="([^"]+)"', page)
        more = re.search(r'href="/labels\?after=([^"]+)"', page)
        if more is None:
            break
        params = {"after": more.group(1).replace("%2F", "/").replace("+", " ")}
    assert seen == sorted(app.app.registry["catalog"].by_name)


def test_scene_labels_are_marked(app: TestApp) -> None:
    page = app.get("/labels", {"after": "n"}).text
    assert 'class="scene-flag"' in card(page, "night")
    assert 'class="scene-flag"' in app.get("/labels/night").text
    assert 'class="scene-flag"' not in app.get("/labels/dog").text


def test_one_label_page(app: TestApp) -> None:
    with app_request(app.app.registry) as request:
        insert_images(request.dbsession, [(i, 10, 10, "public", ("dog",)) for i in range(1, 16)])
    page = app.get("/labels/dog").text
    assert '<dd class="count">15</dd>' in page
    assert '<a href="/labels/mammal">mammal</a>' in page and '<a href="/labels/dog/tail">dog/tail</a>' in page
    assert len(re.findall(r'<li class="tile">', page)) == 12  # a few examples, newest first
    assert page.index('/images/15"') < page.index('/images/14"') and '/images/3"' not in page
    assert "any%3A%22dog%22" in page  # browse it with its kinds
    mammal = app.get("/labels/mammal").text
    assert '<a href="/labels/dog">dog</a>' in mammal and '<a href="/labels/animal">animal</a>' in mammal
    assert "No public image has this label yet." in mammal
    head = app.get("/labels/dog/head").text
    assert '<a href="/labels/dog">dog</a>' in head and "Part of" in head


def test_aliases_redirect_and_unknown_names_are_404(app: TestApp) -> None:
    assert app.get("/labels/puppies", status=302).headers["Location"].endswith("/labels/dog")
    assert app.get("/labels/Dog", status=302).headers["Location"].endswith("/labels/dog")
    assert "Not found" in app.get("/labels/unicorn", status=404).text
    app.get("/labels/" + "x" * 5000, status=404)


def test_counts_come_from_the_counter_not_a_scan(app: TestApp) -> None:
    with app_request(app.app.registry) as request:
        request.dbsession.execute(text("INSERT INTO stat_label (label, images) VALUES ('zebra', 7)"))
        mark_changed(request.dbsession)
    try:
        assert '<dd class="count">7</dd>' in app.get("/labels/zebra").text
    finally:
        with app_request(app.app.registry) as request:
            request.dbsession.execute(text("DELETE FROM stat_label WHERE label = 'zebra'"))
            mark_changed(request.dbsession)


def test_browse_links_to_the_labels_page(app: TestApp) -> None:
    assert 'href="/labels"' in app.get("/browse").text
