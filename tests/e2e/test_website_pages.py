"""The site's pages in real Chromium under a strict CSP: explore with a query and scroll, statistics charts.

Every HTML answer gets ``Content-Security-Policy: script-src 'self'`` added on the way to the browser, so
an inline script or handler would fail here. Screenshots at 1280 and 390 px go to ``$IMAGEMONKEY_SHOTS``
when it is set.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium  # noqa: E402
from test_validate_page import call, donate  # noqa: E402

pytestmark = pytest.mark.e2e
CSP = "script-src 'self'; object-src 'none'"
SHOTS = os.environ.get("IMAGEMONKEY_SHOTS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    live = LiveServer(tmp_path_factory.mktemp("site") / "data", plugins="validate annotate")
    token = call(live.url, "POST", "/api/v1/clients")["token"]
    for seed in range(9):
        image = donate(live.url, token, 100 + seed, "dog")
        if seed % 3 == 0:
            call(live.url, "POST", f"/api/v1/images/{image['id']}/labels", token, b'{"labels": ["cat"]}')
    yield live.url
    live.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


def strict_page(browser: Any, width: int = 1280) -> tuple[Any, list[str]]:
    """A page whose HTML answers carry a strict CSP; returns it and the list its console errors go to."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    # 4xx answers are part of the flows (a query with a mistake, a refused upload) and shown on the page;
    # Chromium still logs each one. Anything else logged as an error is a fault.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "responded with a status of 4" not in message.text else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def add_csp(route: Any) -> None:
        if route.request.resource_type != "document":  # pages only; uploads and API calls go untouched
            route.continue_()
            return
        response = route.fetch()
        headers = dict(response.headers)
        if headers.get("content-type", "").startswith("text/html"):
            headers["content-security-policy"] = CSP
        route.fulfill(response=response, headers=headers)

    page.route("**/*", add_csp)
    return page, errors


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_explore_with_a_query_and_scroll(server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    page, errors = strict_page(browser)
    url = server + "/browse?q=dog%20%26%20~cat&limit=2"
    assert page.request.get(url).text().count('<li class="tile" data-image-id="') == 2  # the server renders page 1
    page.goto(url)
    tiles = page.locator("#results > li.tile")
    expect(page.locator("#query-status")).to_have_text("6 images match")
    page.locator("#more").scroll_into_view_if_needed()
    expect(tiles).to_have_count(6)  # the rest came through the API's cursor as the end came into view
    expect(page.locator("#results > li.tile[data-image-id]")).to_have_count(6)  # each names its picture for slots
    expect(tiles.first.locator(".chips li")).to_have_text(["dog"])
    page.fill("#q", "dog & cat")
    expect(page.locator("#query-status")).to_have_text("3 images match")
    page.fill("#q", "dog & (cat")
    expect(page.locator("#query-status .error")).to_contain_text("position 10")
    shoot(page, "browse-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "browse-390.png")
    page.goto(server + "/browse?label=dogs")
    expect(tiles).to_have_count(9)
    page.goto(server + "/browse?q=cat%20%26%20~dog")
    expect(page.locator(".empty")).to_contain_text("No image matches")
    shoot(page, "browse-empty-390.png")
    page.goto(server + "/browse?label=zorblax")
    expect(page.locator("h1")).to_have_text("Browse")
    expect(page.locator(".query-caret")).to_be_visible()
    assert errors == []


def test_statistics_draws_its_charts(server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    for width in (1280, 390):
        page, errors = strict_page(browser, width)
        page.goto(server + "/statistics")
        figures = page.locator("figure.chart")
        assert figures.count() >= 5
        for i in range(figures.count()):
            expect(figures.nth(i)).to_have_attribute("data-drawn", re.compile(r"^[1-9]"))  # datasets drawn
        painted = page.evaluate("""() => [...document.querySelectorAll('#chart-donations canvas')].map((canvas) => {
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let inked = 0; for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++; return inked; })""")
        assert painted[0] > 1000  # bars, axes and labels were drawn
        expect(page.locator(".work a").first).to_be_visible()
        shoot(page, f"statistics-{width}.png")
        assert errors == []
        page.close()


def test_labels_pages_fit_1280_and_390(server: str, browser: Any) -> None:
    """/labels and /labels/dog: no sideways scrolling, cards in columns on a wide screen, one on a phone."""
    for width in (1280, 390):
        page, errors = strict_page(browser, width)
        page.goto(server + "/browse")
        page.click("text=Browse the labels")
        page.wait_for_url("**/labels")  # and its load event: the style sheet applies before measuring
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        lefts = page.evaluate("() => [...document.querySelectorAll('.label-card')].slice(0, 4)"
                              ".map((card) => Math.round(card.getBoundingClientRect().left))")
        assert (len(set(lefts)) > 1) == (width == 1280), lefts
        page.locator('.label-card[data-label="bear"] h2 a').click()
        page.wait_for_url("**/labels/bear")
        page.goto(server + "/labels/dog")
        assert page.locator("#examples img").count() == 9  # the module's nine dog pictures
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        shoot(page, f"label-{width}.png")
        assert errors == []
        page.close()
