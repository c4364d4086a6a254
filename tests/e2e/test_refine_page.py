"""The /refine page in real Chromium: property questions answered with number keys, at 1280 and 390 px."""
from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "validate"))
from chromium_support import ARGS, CHROMIUM  # noqa: E402
from validate_support import picture  # noqa: E402

pytestmark = pytest.mark.e2e


def call(base: str, method: str, path: str, token: str | None = None, body: bytes | None = None,
         content_type: str = "application/json") -> dict:
    request = urllib.request.Request(base + path, data=body, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def donate(base: str, token: str, seed: int) -> dict:
    boundary = "----refine-e2e"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\ndog\r\n'.encode(),
             f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{seed}.jpg"\r\n'
             f"Content-Type: image/jpeg\r\n\r\n".encode() + picture(seed) + b"\r\n", f"--{boundary}--\r\n".encode()]
    return call(base, "POST", "/api/v1/images", token, b"".join(parts),
                f"multipart/form-data; boundary={boundary}")["image"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    live = LiveServer(tmp_path / "data", plugins="refine")
    yield live.url
    live.stop()


@pytest.mark.parametrize("width", [1280, 390])
def test_questions_by_number_keys(server: str, width: int) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    donor = call(server, "POST", "/api/v1/clients")["token"]
    labels = [donate(server, donor, seed)["labels"][0]["id"] for seed in range(2)]
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text else None)
        page.goto(server + "/refine")
        for answered in (1, 2):
            sync_api.expect(page.locator("#question")).to_have_text("What color is this dog?")
            sync_api.expect(page.locator("#choices button")).to_have_count(6)
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
            # the same question comes twice: wait until the page has the next one (keys are ignored while busy)
            sync_api.expect(page.locator(".refine")).to_have_attribute("aria-busy", "false")
            page.keyboard.press("2")  # brown
            sync_api.expect(page.locator("#progress")).to_have_text(f"{answered} answered")
        sync_api.expect(page.locator("#question")).to_have_text("Nothing left to refine right now. Thank you!")
        browser.close()
    assert not errors  # an inline script or style would be refused under the site's CSP
    for il in labels:
        assert call(server, "GET", f"/api/v1/image-labels/{il}/properties")["properties"]["color"]["answers"][
            "brown"] == 1
