"""The extension with the playground in Chromium: right-click a picture on a page, "Find similar in ImageMonkey"
posts it to the server and opens a page of its look-alikes from the dataset, nearest first."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from playground_support import pictures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extension_e2e import (  # noqa: E402, F401
    ExtensionBrowser,
    api_call,
    browser,
    menu_click,
    page,
    pytestmark,
    site,
    unpacked,
    use_server,
)
from test_extension_predict import show_picture  # noqa: E402
from test_playground_page import server  # noqa: E402, F401

pytestmark = [*pytestmark, pytest.mark.training]


def test_find_similar(browser: ExtensionBrowser, server: tuple[str, str], page: Page,  # noqa: F811
                      tmp_path: Path) -> None:
    context, sw, _ = browser
    base, _ = server
    status, offered = api_call("GET", base + "/api/v1/extension")
    assert status == 200, offered
    action = next(a for a in offered["actions"] if a.get("kind") == "similar")  # by kind, as the extension finds it
    items = {item["id"]: item for item in use_server(sw, base)}
    assert items[action["id"]] == {"id": action["id"], "title": "Find similar in ImageMonkey", "contexts": ["image"]}
    status, before = api_call("POST", base + action["api"])
    assert status == 415, before
    wait_until_indexed(base, tmp_path / "data")  # the server fixture's data dir
    src = show_picture(page, pictures()[3][0])  # a donated picture: the dataset holds it
    with context.expect_page() as opened:
        result = menu_click(sw, page, action["id"], src)
    assert result["ok"] and result["status"] == "similar" and result["count"] >= 1, result
    view = opened.value
    view.wait_for_load_state()
    assert view.url.startswith("chrome-extension://") and "similar.html?key=" in view.url
    tiles = view.locator("#similar-tiles li a")
    tiles.first.wait_for()
    assert tiles.count() == result["count"]
    assert tiles.first.get_attribute("href").startswith(base + "/images/")
    assert view.locator("#similar-source").get_attribute("src") == src
    view.close()


def wait_until_indexed(base: str, data_dir: Path) -> None:
    """Bring the index up to date now (the periodic update ran at start, before the fixture's donations, and runs
    again only minutes later), then wait until the server has reopened it."""
    done = subprocess.run([sys.executable, "-m", "imagemonkey", "playground", "index", "update",
                           "--data-dir", str(data_dir), "--plugins", "playground"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 120
    while True:
        status, body = api_call("GET", base + "/api/v1/images/1/similar")
        if status == 200 and body["images"]:
            return
        assert time.monotonic() < deadline, (status, body)
        time.sleep(1)
