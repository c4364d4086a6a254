"""Labels that spread, in real Chromium against `imagemonkey serve`: a verified "cat" on a photograph puts its
unlabelled crops and flips into the validate grid page, each tile asking "Does this one show a cat too?", and the
page's answers settle them."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from test_playground_similar import pictures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_playground_page import donate  # noqa: E402
from test_validate_fixes import verify  # noqa: E402
from test_validate_page import call  # noqa: E402
from test_website_pages import browser, strict_page  # noqa: E402, F401

pytestmark = [pytest.mark.e2e, pytest.mark.training]


def look_alikes(base: str, token: str) -> list[dict[str, Any]]:
    """The grid's look-alike questions of "cat" for ``token``."""
    items = call(base, "GET", "/api/v1/tasks/grid?label=cat&n=10", token)["items"]
    return [item for item in items if item["kind"] == "playground_spread"]


def test_grid_page_asks_about_look_alikes(tmp_path: Path, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    data_dir = tmp_path / "data"
    live = LiveServer(data_dir, plugins="validate playground")
    try:
        donor = call(live.url, "POST", "/api/v1/clients")["token"]
        images = [donate(live.url, donor, data, [label] if index == 0 else [])["image"]
                  for index, (data, label) in enumerate(pictures()[:5])]  # the cat's photograph and its look-alikes
        done = subprocess.run([sys.executable, "-m", "imagemonkey", "playground", "index", "update",
                               "--data-dir", str(data_dir), "--plugins", "validate playground"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        verify(live.url, images[0]["labels"][0]["id"])
        watcher = call(live.url, "POST", "/api/v1/clients")["token"]
        deadline = time.monotonic() + 60
        while len(look_alikes(live.url, watcher)) < 4:  # the server's worker runs playground.spread
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert {item["image"]["id"] for item in look_alikes(live.url, watcher)} == {i["id"] for i in images[1:5]}
        page, errors = strict_page(browser, 1280)
        page.goto(live.url + "/validate/grid?label=cat")
        questions = page.locator(".validate-tile-question")
        expect(questions).to_have_count(4)
        expect(questions.first).to_have_text("Does this one show a cat too?")
        boxes = page.locator("#grid input")
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.click("#send")
        expect(page.locator("#question")).to_contain_text("Nothing left to validate")
        assert errors == []
    finally:
        live.stop()
