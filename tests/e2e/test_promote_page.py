"""/moderate's label suggestions in real Chromium: a moderator promotes one under a parent and its picture gets it."""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium, page_recording_errors  # noqa: E402
from test_validate_page import call, donate  # noqa: E402

pytestmark = pytest.mark.e2e
PASSWORD = "long-enough-secret"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    live = LiveServer(tmp_path / "data", plugins="")
    yield live.url, tmp_path / "data"
    live.stop()


def test_a_moderator_promotes_a_suggestion_from_moderate(server: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, data = server
    donor = call(base, "POST", "/api/v1/clients")["token"]
    image = donate(base, donor, 7, "okapi")
    assert image["labels"] == []
    subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator", "--data-dir",
                    str(data), "--plugins", ""], input=PASSWORD.encode() + b"\n", check=True, capture_output=True)
    moderator = call(base, "POST", "/api/v1/sessions",
                     body=json.dumps({"username": "mod", "password": PASSWORD}).encode())["token"]
    with launched_chromium() as browser:
        page, errors = page_recording_errors(browser)
        page.goto(base + "/")
        page.evaluate("(token) => localStorage.setItem('imagemonkey.token', token)", moderator)
        page.goto(base + "/moderate")
        item = page.locator("#suggestion-list li", has_text="okapi")
        sync_api.expect(item).to_contain_text("suggested 1×")
        item.get_by_label("Parent of okapi").fill("animal")
        item.get_by_role("button", name="Promote").click()
        sync_api.expect(page.locator("#suggestions-status")).to_have_text(
            '"okapi" is a catalog label now (a kind of animal); 1 picture got it.')
        sync_api.expect(page.locator("#suggestion-list li")).to_have_count(0)
        assert not errors, errors
    labels = call(base, "GET", f"/api/v1/images/{image['id']}", donor)["labels"]
    assert [label["label"] for label in labels] == ["okapi"]
