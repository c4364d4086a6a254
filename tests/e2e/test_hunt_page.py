"""The image hunt in real Chromium at 390 px under a strict CSP, by keyboard: from /hunt, "Donate a picture of X"
opens /donate with X's chip; after the donation /hunt shows X as donated, linked to the picture.

Screenshots go to ``$IMAGEMONKEY_SHOTS`` when it is set.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_validate_page import call, donate, picture  # noqa: E402
from test_website_pages import browser, shoot, strict_page  # noqa: E402, F401

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    live = LiveServer(tmp_path_factory.mktemp("hunt") / "data", plugins="validate")
    yield live.url
    live.stop()


def tab_to(page: Any, selector: str, presses: int = 60) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_hunt_a_label_by_keyboard_on_a_phone(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    token = call(server, "POST", "/api/v1/clients")["token"]
    page, errors = strict_page(browser, width=390)
    page.goto(server + "/hunt")
    page.evaluate("""(token) => { localStorage.setItem('imagemonkey.token', token);
                                  localStorage.setItem('imagemonkey.user', 'null'); }""", token)
    page.reload()
    expect(page.locator("#hunt-status")).to_have_text(re.compile(r"^0 of [1-9][0-9]* verified\.$"))
    first = page.locator("#hunt li").first
    label = first.get_attribute("data-label")
    assert first.get_attribute("data-status") == "none"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    shoot(page, "hunt-390.png")

    tab_to(page, "#hunt li:first-child a.hunt-donate")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/donate?label={label}")
    expect(page.locator("#labels li")).to_have_count(1)
    expect(page.locator("#labels li").first).to_contain_text(label)
    page.set_input_files("#files", {"name": "find.jpg", "mimeType": "image/jpeg", "buffer": picture(901)})
    tab_to(page, "#send")
    page.keyboard.press("Enter")
    expect(page.locator("#results li.new")).to_have_count(1)
    image_id = page.locator("#results li.new a").get_attribute("href").rsplit("/", 1)[1]
    assert label in [doc["label"] for doc in call(server, "GET", f"/api/v1/images/{image_id}")["labels"]]

    page.goto(server + "/hunt")  # now among the labels with the most left to check: donated, not yet verified
    row = page.locator(f'#hunt li[data-label="{label}"]')
    expect(row).to_have_attribute("data-status", "donated")
    expect(row.locator(".hunt-state a")).to_have_attribute("href", f"/images/{image_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "hunt-donated-390.png")
    assert errors == []


def test_a_find_that_left_the_lists_is_added_by_the_page(tmp_path: Path, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    live = LiveServer(tmp_path / "data")  # core only: no "most left to check" list keeps the find on the hunt
    try:
        token = call(live.url, "POST", "/api/v1/clients")["token"]
        label = call(live.url, "GET", "/api/v1/me/hunt", token)["hunt"][0]["label"]
        image = donate(live.url, token, 902, label)
        page, errors = strict_page(browser, width=390)
        page.goto(live.url + "/hunt")
        assert page.locator(f'#hunt li[data-label="{label}"]').count() == 0  # the server's list has moved on
        page.evaluate("""(token) => { localStorage.setItem('imagemonkey.token', token);
                                      localStorage.setItem('imagemonkey.user', 'null'); }""", token)
        page.reload()
        row = page.locator(f'#hunt li[data-label="{label}"]')
        expect(row).to_have_attribute("data-status", "donated")
        expect(row).to_contain_text("Found by you")
        expect(row.locator(".hunt-state a")).to_have_attribute("href", f"/images/{image['id']}")
        expect(row.locator("a.hunt-donate")).to_have_attribute("href", f"/donate?label={label.replace(' ', '+')}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert errors == []
    finally:
        live.stop()
