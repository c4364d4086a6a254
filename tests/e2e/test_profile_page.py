"""A public profile in real Chromium: an account turns its page on from /me and anyone sees it at /people/<name>.

A screenshot goes to ``$IMAGEMONKEY_SHOTS`` when it is set.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_website_pages import browser, shoot, strict_page  # noqa: E402, F401

pytestmark = pytest.mark.e2e
PASSWORD = "plum-harbor-quietly-77"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    live = LiveServer(tmp_path_factory.mktemp("profile") / "data", plugins="validate")
    yield live.url
    live.stop()


def test_an_account_makes_its_profile_public_and_anyone_sees_it(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    page, errors = strict_page(browser)
    signed = page.request.post(server + "/api/v1/accounts", data={"username": "petra", "password": PASSWORD})
    token = signed.json()["token"]
    for name in ("lighthouse lens", "tram pantograph"):  # two logged writes today
        page.request.post(server + "/api/v1/label-suggestions", data={"name": name},
                          headers={"Authorization": "Bearer " + token})
    assert page.request.get(server + "/people/petra").status == 404
    page.goto(server + "/login?next=/me")
    page.fill("#username", "petra")
    page.fill("#password", PASSWORD)
    page.click("#login button")
    page.wait_for_url("**/me")
    expect(page.locator("#me-today")).to_contain_text("Today: 2 contributions")
    page.check("#profile-form input[name=public_profile]")
    expect(page.locator("#profile-status")).to_have_text("Saved.")
    expect(page.locator("#profile-link")).to_be_visible()

    visitor, visitor_errors = strict_page(browser)
    visitor.goto(server + "/people/petra")
    expect(visitor.locator("h1")).to_have_text("petra")
    expect(visitor.locator("#badges-title")).to_be_visible()
    assert visitor.locator(".calendar td[data-count='2']").count() == 1
    shoot(visitor, "profile-petra.png")
    assert errors == [] and visitor_errors == []
