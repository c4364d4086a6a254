"""Sign-up and API tokens in real Chromium under a strict CSP: a browser that donated and voted anonymously signs
up with "Keep what this browser did" ticked, sees that history on /me, then creates and revokes a named token.

Screenshots at 1280 and 390 px go to ``$IMAGEMONKEY_SHOTS`` when it is set.
"""
from __future__ import annotations

import json
import sys
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_validate_page import call, donate  # noqa: E402
from test_website_pages import browser, shoot, strict_page  # noqa: E402, F401

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    live = LiveServer(tmp_path_factory.mktemp("signup") / "data", plugins="validate")
    yield live.url
    live.stop()


def status_of(base: str, path: str, token: str) -> int:
    try:
        call(base, "GET", path, token)
    except urllib.error.HTTPError as error:
        return error.code
    return 200


def test_sign_up_keeps_the_history_and_tokens_come_and_go(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    anonymous = call(server, "POST", "/api/v1/clients")["token"]
    donate(server, anonymous, 501, "dog")
    other = call(server, "POST", "/api/v1/clients")["token"]
    label = donate(server, other, 502, "cat")["labels"][0]["id"]
    call(server, "POST", f"/api/v1/image-labels/{label}/votes", anonymous, json.dumps({"vote": "yes"}).encode())

    page, errors = strict_page(browser)
    page.goto(server + "/login")
    page.evaluate("""(token) => { localStorage.setItem('imagemonkey.token', token);
                                  localStorage.setItem('imagemonkey.user', 'null'); }""", anonymous)
    page.get_by_role("link", name="Sign up").click()
    expect(page.locator("#claim")).to_be_checked()
    page.fill("#username", "pia")
    page.fill("#password", "marble-otter-sings-42")
    page.click("#signup button")
    expect(page.locator("#signup-status")).to_contain_text("Welcome, pia")
    expect(page.locator("#account a.account-name")).to_have_text("pia")
    shoot(page, "signup-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "signup-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert status_of(server, "/api/v1/me", anonymous) == 401  # the anonymous token was spent on the claim

    page.get_by_role("link", name="See your contributions and tokens").click()
    expect(page.locator("#me-status")).to_have_text("Logged in as pia.")
    expect(page.locator("#me-log li")).to_have_count(3)  # the donation, its label and the vote came along
    expect(page.locator("#me-donations li.tile")).to_have_count(1)
    expect(page.locator("#tokens")).to_be_visible()
    page.fill("#token-name", "upload script")
    page.locator("input[name=scope][value=read]").uncheck()
    page.click("#token-form button")
    expect(page.locator("#token-list li.token")).to_have_count(1)
    expect(page.locator("#token-list li.token")).to_contain_text("upload script (contribute)")
    secret = page.locator("#token-secret").text_content()
    assert secret and call(server, "GET", "/api/v1/me", secret)["user"]["name"] == "pia"
    shoot(page, "me-tokens-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "me-tokens-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#token-list").get_by_role("button", name="Revoke").click()
    expect(page.locator("#token-list")).to_have_text("No tokens yet.")
    assert status_of(server, "/api/v1/me", secret) == 401
    page.fill("#current-password", "marble-otter-sings-42")
    page.fill("#new-password", "password1234")
    page.click("#password-form button")
    expect(page.locator("#password-status")).to_contain_text("too easy to guess")
    page.fill("#new-password", "quiet-walrus-reads-19")
    page.click("#password-form button")
    expect(page.locator("#password-status")).to_have_text("Password changed; your other log-ins were logged out.")
    assert call(server, "POST", "/api/v1/sessions", None, json.dumps(
        {"username": "pia", "password": "quiet-walrus-reads-19"}).encode())["user"]["name"] == "pia"
    page.get_by_role("button", name="Log out everywhere").click()
    expect(page).to_have_url(server + "/login")
    expect(page.locator("#account a")).to_have_text(["You", "Log in"])
    page.fill("#username", "pia")
    page.fill("#password", "quiet-walrus-reads-19")
    page.click("#login button")
    expect(page.locator("#account a.account-name")).to_have_text("pia")
    login = page.evaluate("() => localStorage.getItem('imagemonkey.token')")
    page.locator("#account").get_by_role("button", name="Log out").click()
    expect(page.locator("#account a")).to_have_text(["You", "Log in"])
    assert status_of(server, "/api/v1/me", login) == 401  # the header's Log out revokes the log-in on the server
    assert errors == []
