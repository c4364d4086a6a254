"""The site's header in real Chromium: who is logged in, Moderate for moderators, Log out; two lines on a phone.

Screenshots at 1280 and 390 px go to ``$IMAGEMONKEY_SHOTS`` when it is set.
"""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_website_pages import browser, shoot, strict_page  # noqa: E402, F401

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"
PLUGINS = "validate annotate report playground"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("header") / "data"
    live = LiveServer(data, plugins=PLUGINS)
    for name, role in (("mia", "moderator"), ("carl", "contributor")):
        subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", name, "--role", role, "--data-dir",
                        str(data)], input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    yield live.url
    live.stop()


def log_in(page: Any, name: str) -> None:
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("#login button")


def header_lines(page: Any) -> int:
    """How many rows of text the header's links and brand take (their distinct tops, 8 px apart or more)."""
    tops = sorted(page.evaluate("""() => [...document.querySelectorAll('.site-header a, .site-header button')]
        .map((node) => node.getBoundingClientRect()).filter((box) => box.width > 0).map((box) => box.top)"""))
    rows = [tops[0]]
    for top in tops[1:]:
        if top - rows[-1] >= 8:
            rows.append(top)
    return len(rows)


def test_the_header_says_who_is_logged_in(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    page, errors = strict_page(browser)
    page.goto(server + "/login")
    account = page.locator("#account")
    expect(account.locator("a")).to_have_text(["You", "Log in"])
    log_in(page, "mia")
    expect(account.locator("a")).to_have_text(["mia", "Moderate"])  # at once, on the login page itself
    page.goto(server + "/statistics")
    expect(account.locator("a.account-name")).to_have_attribute("href", "/me")
    expect(account.get_by_role("link", name="Moderate")).to_have_attribute("href", "/moderate")
    expect(account.get_by_role("button", name="Log out")).to_be_visible()
    shoot(page, "header-moderator-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(account.get_by_role("button", name="Log out")).to_be_visible()
    shoot(page, "header-moderator-390.png")
    assert header_lines(page) <= 2
    account.get_by_role("button", name="Log out").click()
    expect(account.locator("a")).to_have_text(["You", "Log in"])
    assert page.evaluate("() => localStorage.getItem('imagemonkey.token')") is None
    page.goto(server + "/login")
    log_in(page, "carl")  # a contributor's account: no Moderate
    expect(account.locator("a.account-name")).to_have_text("carl")
    page.goto(server + "/")
    expect(account.locator("a")).to_have_text(["carl"])
    expect(account.get_by_role("button", name="Log out")).to_be_visible()
    assert errors == []


def test_the_header_takes_at_most_two_lines_on_a_phone(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    page, errors = strict_page(browser, 390)
    for path in ("/", "/validate", "/playground"):
        page.goto(server + path)
        expect(page.locator("#account a")).to_have_text(["You", "Log in"])
        assert header_lines(page) <= 2, path
        nav = page.locator(".site-nav")
        assert nav.evaluate("(node) => node.scrollWidth > node.clientWidth")  # the pages scroll sideways...
        last = nav.locator("a").last
        last.scroll_into_view_if_needed()
        expect(last).to_be_in_viewport()  # ...and each one can be reached
    shoot(page, "header-visitor-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert header_lines(page) == 1
    shoot(page, "header-visitor-1280.png")
    assert errors == []
