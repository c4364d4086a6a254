"""Deleting an account from /me in real Chromium under a strict CSP, both ways: keeping the contributions (credited
to no one) and reverting them; the result is checked on the server over HTTP."""
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

PASSWORD = "marble-otter-sings-42"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    live = LiveServer(tmp_path_factory.mktemp("delete") / "data", plugins="validate")
    yield live.url
    live.stop()


def status_of(base: str, path: str, token: str | None = None) -> int:
    try:
        call(base, "GET", path, token)
    except urllib.error.HTTPError as error:
        return error.code
    return 200


@pytest.mark.parametrize(("choice", "seed"), [("keep", 601), ("revert", 602)])
def test_delete_the_account_from_me(server: str, browser: Any, choice: str, seed: int) -> None:  # noqa: F811
    from playwright.sync_api import expect

    name = f"leaver-{choice}"
    signed = call(server, "POST", "/api/v1/accounts", None,
                  json.dumps({"username": name, "password": PASSWORD}).encode())
    session = signed["token"]
    image = donate(server, session, seed, "dog")
    assert status_of(server, f"/api/v1/images/{image['id']}") == 200

    page, errors = strict_page(browser)
    page.goto(server + "/login")
    page.evaluate("""([token, user]) => { localStorage.setItem('imagemonkey.token', token);
                                          localStorage.setItem('imagemonkey.user', user); }""",
                  [session, json.dumps(signed["user"])])
    page.goto(server + "/me")
    expect(page.locator("#me-status")).to_have_text(f"Logged in as {name}.")
    page.locator(f"#delete-form input[name=contributions][value={choice}]").check()
    page.fill("#delete-password", "not-the-password-at-all")
    page.click("#delete-form button.danger")
    expect(page.locator("#delete-question")).to_contain_text("Delete this account for good?")
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#delete-confirm")).to_be_hidden()
    page.click("#delete-form button.danger")
    page.get_by_role("button", name="Yes, delete my account").click()
    expect(page.locator("#delete-status")).to_contain_text("The password is wrong.")
    assert status_of(server, "/api/v1/me", session) == 200  # nothing happened

    page.fill("#delete-password", PASSWORD)
    page.click("#delete-form button.danger")
    shoot(page, f"me-delete-{choice}-1280.png")
    page.get_by_role("button", name="Yes, delete my account").click()
    expect(page).to_have_url(f"{server}/login?deleted={choice}")
    expect(page.locator("#login-status")).to_contain_text("Your account was deleted")
    expect(page.locator("#account a")).to_have_text(["You", "Log in"])
    assert page.evaluate("() => localStorage.getItem('imagemonkey.token')") is None

    assert status_of(server, "/api/v1/me", session) == 401  # the log-in's token stopped at once
    kept = status_of(server, f"/api/v1/images/{image['id']}")
    assert kept == (200 if choice == "keep" else 404)  # kept public, or removed by the revert
    if choice == "keep":
        shown = call(server, "GET", f"/api/v1/images/{image['id']}")
        assert [label["label"] for label in shown["labels"]] == ["dog"]
    assert errors == []
