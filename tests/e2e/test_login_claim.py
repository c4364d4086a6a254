"""Logging in on /login in real Chromium under a strict CSP with "Keep what this browser did" ticked: a browser that
donated and voted anonymously logs in to an existing account, and that history becomes the account's."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_signup_tokens import status_of  # noqa: E402
from test_validate_page import call, donate  # noqa: E402
from test_website_pages import browser, strict_page  # noqa: E402, F401

pytestmark = pytest.mark.e2e
PASSWORD = "marble-otter-sings-42"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    live = LiveServer(tmp_path_factory.mktemp("loginclaim") / "data", plugins="validate")
    yield live.url
    live.stop()


def test_log_in_keeps_what_this_browser_did(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    call(server, "POST", "/api/v1/accounts", None, json.dumps({"username": "quinn", "password": PASSWORD}).encode())
    anonymous = call(server, "POST", "/api/v1/clients")["token"]
    donate(server, anonymous, 601, "dog")
    other = call(server, "POST", "/api/v1/clients")["token"]
    label = donate(server, other, 602, "cat")["labels"][0]["id"]
    call(server, "POST", f"/api/v1/image-labels/{label}/votes", anonymous, json.dumps({"vote": "yes"}).encode())

    page, errors = strict_page(browser)
    page.goto(server + "/login")
    page.evaluate("""(token) => { localStorage.setItem('imagemonkey.token', token);
                                  localStorage.setItem('imagemonkey.user', 'null'); }""", anonymous)
    page.reload()
    expect(page.locator("#claim")).to_be_checked()
    page.fill("#username", "quinn")
    page.fill("#password", PASSWORD)
    page.click("#login button")
    expect(page.locator("#login-status")).to_contain_text("Welcome, quinn")
    assert status_of(server, "/api/v1/me", anonymous) == 401  # the anonymous token was spent on the claim
    session = page.evaluate("() => localStorage.getItem('imagemonkey.token')")
    counts = call(server, "GET", "/api/v1/me", session)["counts"]
    assert counts["image.donate"] == 1 and counts["validate.vote"] == 1 and counts["account.claim"] == 1
    assert errors == []
