"""Captions on the image page in real Chromium under a strict CSP: a caption added through the form, voted up by
two other browsers' tokens, becomes the image's caption shown on the page."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_validate_page import call, donate  # noqa: E402
from test_website_pages import browser, strict_page  # noqa: E402, F401

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    live = LiveServer(tmp_path_factory.mktemp("captions") / "data", plugins="")
    yield live.url
    live.stop()


def use_token(page: Any, token: str) -> None:
    page.evaluate("""(token) => { localStorage.setItem('imagemonkey.token', token);
                                  localStorage.setItem('imagemonkey.user', 'null'); }""", token)


def test_add_and_vote_a_caption_on_the_image_page(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    donor = call(server, "POST", "/api/v1/clients")["token"]
    image = donate(server, donor, 31, "dog")
    page, errors = strict_page(browser)
    page.goto(f"{server}/images/{image['id']}")
    use_token(page, donor)
    page.reload()
    expect(page.locator("#captions li")).to_have_text(["No captions yet."])
    page.fill("#caption-form input[name=text]", "A small dog in the snow")
    page.click("#caption-form button[type=submit]")
    expect(page.locator("#captions li .text")).to_have_text(["A small dog in the snow"])
    expect(page.locator("#image-caption")).to_have_count(0)
    for score in ("+1", "+2"):  # two other people vote it up on the page
        use_token(page, call(server, "POST", "/api/v1/clients")["token"])
        page.reload()
        page.click("#captions li .vote-up")
        expect(page.locator("#captions li .score")).to_have_text([score])
    page.reload()
    expect(page.locator("#image-caption")).to_contain_text("A small dog in the snow")
    assert errors == []
