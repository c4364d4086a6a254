"""The report plugin in real Chromium: report from the image page and from a browse tile loaded by scrolling
(its form a popover, a sheet on a phone); a moderator logs in, opens /moderate and decides two items by keyboard."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "report"))
from report_support import picture  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium, page_recording_errors  # noqa: E402
from test_validate_page import call  # noqa: E402

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "report"


def donate(base: str, token: str, seed: int) -> dict:
    boundary = "----report-e2e"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{seed}.jpg"\r\n'
             f"Content-Type: image/jpeg\r\n\r\n".encode() + picture(seed) + b"\r\n", f"--{boundary}--\r\n".encode()]
    return call(base, "POST", "/api/v1/images", token, b"".join(parts),
                f"multipart/form-data; boundary={boundary}")["image"]


def wait_until_public(base: str, token: str, image_id: str) -> None:
    """The embedded job consumer screens each donation in the background; then it is public."""
    for _ in range(150):
        if call(base, "GET", f"/api/v1/images/{image_id}", token)["status"] == "public":
            return
        time.sleep(0.2)
    raise AssertionError(f"image {image_id} was not screened in 30 s")


def report(base: str, token: str, image_id: str, reason: str = "spam") -> None:
    call(base, "POST", f"/api/v1/images/{image_id}/reports", token, json.dumps({"reason": reason}).encode())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data = tmp_path / "data"
    live = LiveServer(data, plugins="report")
    yield live.url, data
    live.stop()


def test_report_from_the_image_page(server: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, _ = server
    donor = call(base, "POST", "/api/v1/clients")["token"]
    image = donate(base, donor, 1)
    wait_until_public(base, donor, image["id"])
    with launched_chromium() as chromium:
        page, errors = page_recording_errors(chromium)
        page.goto(f"{base}/images/{image['id']}")
        page.get_by_role("button", name="Report").click()
        page.get_by_label("Violence or gore").check()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "image-report-1280.png"), full_page=True)
        page.get_by_role("button", name="Send report").click()
        sync_api.expect(page.locator(".report-status")).to_contain_text("Thank you")
        page.set_viewport_size({"width": 390, "height": 800})
        page.screenshot(path=str(SHOTS / "image-report-390.png"), full_page=True)
        token = page.evaluate("localStorage.getItem('imagemonkey.token')")
    assert token and not [e for e in errors if "Content Security Policy" in e]
    history = call(base, "GET", "/api/v1/contributors/me/contributions", token)["contributions"]
    assert [entry["kind"] for entry in history] == ["report.report"]


def test_moderator_decides_two_items_by_keyboard(server: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, data = server
    subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mia", "--role", "moderator", "--data-dir",
                    str(data)], input=b"correct horse battery\n", check=True, capture_output=True)
    donor, reporter = (call(base, "POST", "/api/v1/clients")["token"] for _ in range(2))
    images = [donate(base, donor, seed)["id"] for seed in (2, 3, 4)]
    for image_id in images:
        wait_until_public(base, donor, image_id)
    moderator = call(base, "POST", "/api/v1/sessions", None,
                     json.dumps({"username": "mia", "password": "correct horse battery"}).encode())["token"]
    for image_id in images:
        report(base, moderator if image_id == images[0] else reporter, image_id)
    with launched_chromium() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/")
        # log in as the site's login page does: POST /api/v1/sessions, the token kept in localStorage
        page.evaluate("""async () => {
            const answer = await fetch("/api/v1/sessions", {method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify({username: "mia", password: "correct horse battery"})});
            localStorage.setItem("imagemonkey.token", (await answer.json()).token);
        }""")
        page.goto(f"{base}/moderate")
        queue = page.locator("#report-queue li")
        sync_api.expect(queue).to_have_count(3)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "moderate-1280.png"), full_page=True)
        page.keyboard.press("a")  # the first (oldest) item is selected: keep
        sync_api.expect(queue).to_have_count(2)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("d")  # the third: remove
        sync_api.expect(queue).to_have_count(1)
        page.set_viewport_size({"width": 390, "height": 800})
        page.screenshot(path=str(SHOTS / "moderate-390.png"), full_page=True)
    statuses = [call(base, "GET", f"/api/v1/images/{i}", moderator)["status"] for i in images]
    assert statuses == ["public", "public", "hidden"]


@pytest.fixture
def browse_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """55 pictures imported before the server starts (no screening): the oldest, a cat, is on the second page."""
    data = tmp_path / "data"
    cli = [sys.executable, "-m", "imagemonkey"]
    subprocess.run([*cli, "db", "upgrade", "--data-dir", str(data), "--plugins", "validate"], check=True,
                   capture_output=True)
    for label, seeds in (("cat", [100]), ("dog", range(101, 155))):
        folder = tmp_path / label
        folder.mkdir()
        for seed in seeds:
            (folder / f"{seed}.jpg").write_bytes(picture(seed))
        subprocess.run([*cli, "import", str(folder), "--label", label, "--data-dir", str(data), "--plugins",
                        "validate"], check=True, capture_output=True)
    live = LiveServer(data, plugins="validate report")
    donor = call(live.url, "GET", "/api/v1/images?q=cat")["images"]
    yield live.url, donor[0]["id"]
    live.stop()


def inside(box: dict, outer: dict) -> bool:
    return (box["x"] >= outer["x"] and box["y"] >= outer["y"] and box["x"] + box["width"] <= outer["x"] + outer["width"]
            and box["y"] + box["height"] <= outer["y"] + outer["height"])


def overlaps(box: dict, other: dict) -> bool:
    return (box["x"] < other["x"] + other["width"] and other["x"] < box["x"] + box["width"]
            and box["y"] < other["y"] + other["height"] and other["y"] < box["y"] + box["height"])


def test_report_from_a_browse_tile_loaded_by_scrolling(browse_server: tuple[str, str]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, cat = browse_server
    with launched_chromium() as chromium:
        page, errors = page_recording_errors(chromium)
        page.goto(f"{base}/browse")
        tiles = page.locator("#results > li.tile")
        sync_api.expect(tiles).to_have_count(50)
        page.locator("#more").scroll_into_view_if_needed()  # infinite scroll: browse.js builds the next five
        sync_api.expect(tiles).to_have_count(55)
        sync_api.expect(page.locator("#results > li.tile .report-open")).to_have_count(55)
        tile = page.locator(f'#results > li.tile[data-image-id="{cat}"]')
        assert tiles.nth(54).get_attribute("data-image-id") == cat
        button, form = tile.locator(".report-open"), tile.locator(".report-form")
        button.focus()
        page.keyboard.press("Enter")  # by keyboard: the popover opens with the first reason focused
        sync_api.expect(form).to_be_visible()
        assert form.evaluate("form => form.matches(':popover-open') && form.contains(document.activeElement)")
        view = {"x": 0, "y": 0, "width": 1280, "height": 900}
        box, tile_box = form.bounding_box(), tile.bounding_box()
        assert inside(box, view) and not inside(box, tile_box) and box["width"] > tile_box["width"], (box, tile_box)
        assert not overlaps(box, tile.locator("img").bounding_box())  # the picture stays in sight
        page.keyboard.press("Escape")  # closes; the focus is back on the button
        sync_api.expect(form).to_be_hidden()
        assert button.evaluate("button => document.activeElement === button")
        assert button.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        page.mouse.click(5, 5)  # a click outside closes it too
        sync_api.expect(form).to_be_hidden()
        button.focus()
        page.keyboard.press("Enter")
        form.get_by_label("Spam or not a photo").check()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "browse-report-1280.png"))
        form.get_by_role("button", name="Send report").click()
        sync_api.expect(tile.locator(".report-status")).to_have_text("Reported. Thank you!")
        sync_api.expect(button).to_be_hidden()
        page.set_viewport_size({"width": 390, "height": 800})  # a phone: another tile's form is a sheet
        other = tiles.nth(53)
        other.locator(".report-open").click()
        sheet = other.locator(".report-form")
        sync_api.expect(sheet).to_be_visible()
        box = sheet.bounding_box()
        assert (box["x"], box["width"], round(box["y"] + box["height"])) == (0, 390, 800), box
        page.screenshot(path=str(SHOTS / "browse-report-390.png"))
        page.keyboard.press("Escape")
        sync_api.expect(sheet).to_be_hidden()
        assert other.locator(".report-open").evaluate("button => document.activeElement === button")
        token = page.evaluate("localStorage.getItem('imagemonkey.token')")
    assert token and not [e for e in errors if "Content Security Policy" in e or "report" in e], errors
    history = call(base, "GET", "/api/v1/contributors/me/contributions", token)["contributions"]
    assert [entry["kind"] for entry in history] == ["report.report"]
    other_token = call(base, "POST", "/api/v1/clients")["token"]
    grid = "/api/v1/tasks/grid?label=cat&n=9"
    assert [item["image"]["id"] for item in call(base, "GET", grid, token)["items"]] == []
    assert [item["image"]["id"] for item in call(base, "GET", grid, other_token)["items"]] == [cat]
