"""The report plugin in real Chromium: report from the image page; a moderator logs in, opens /moderate
and decides two items by keyboard."""
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
from test_validate_page import ARGS, CHROMIUM, call  # noqa: E402

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


def browser(sync_api):  # noqa: ANN001, ANN201
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    return sync_api.sync_playwright()


def test_report_from_the_image_page(server: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, _ = server
    donor = call(base, "POST", "/api/v1/clients")["token"]
    image = donate(base, donor, 1)
    wait_until_public(base, donor, image["id"])
    with browser(sync_api) as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
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
        chromium.close()
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
    with browser(sync_api) as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
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
        chromium.close()
    statuses = [call(base, "GET", f"/api/v1/images/{i}", moderator)["status"] for i in images]
    assert statuses == ["public", "public", "hidden"]
