"""The /validate page in real Chromium: three questions answered with the keyboard."""
from __future__ import annotations

import json
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "validate"))
from chromium_support import ARGS, CHROMIUM  # noqa: E402
from validate_support import picture  # noqa: E402

pytestmark = pytest.mark.e2e


def settled(base: str, image_label_id: str, timeout: float = 10.0) -> dict:
    """The image label once the server's settler has counted its votes (they are counted after the answer)."""
    deadline = time.monotonic() + timeout
    while (doc := call(base, "GET", f"/api/v1/image-labels/{image_label_id}"))["settlement"] != "settled":
        assert time.monotonic() < deadline, doc
        time.sleep(0.05)
    return doc


def call(base: str, method: str, path: str, token: str | None = None, body: bytes | None = None,
         content_type: str = "application/json") -> dict:
    request = urllib.request.Request(base + path, data=body, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def donate(base: str, token: str, seed: int, label: str) -> dict:
    boundary = "----validate-e2e"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n{label}\r\n'.encode(),
             f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{seed}.jpg"\r\n'
             f"Content-Type: image/jpeg\r\n\r\n".encode() + picture(seed) + b"\r\n", f"--{boundary}--\r\n".encode()]
    return call(base, "POST", "/api/v1/images", token, b"".join(parts),
                f"multipart/form-data; boundary={boundary}")["image"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    live = LiveServer(tmp_path / "data", plugins="validate")
    yield live.url
    live.stop()


def test_three_questions_by_keyboard(server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    donor = call(server, "POST", "/api/v1/clients")["token"]
    labels = {donate(server, donor, seed, "dog")["labels"][0]["id"] for seed in range(4)}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(server + "/validate")
        question = page.locator("#question")
        for answered, key in enumerate("yny", start=1):
            sync_api.expect(question).to_have_text("Is there a dog in this picture?")
            sync_api.expect(page.locator("#btn-yes")).to_be_enabled()
            page.keyboard.press(key)
            sync_api.expect(page.locator("#progress")).to_have_text(f"{answered} answered")
        token = page.evaluate("localStorage.getItem('imagemonkey.token')")
        browser.close()
    assert token
    votes = [settled(server, il)["votes"] for il in labels]
    assert sum(v["yes"] for v in votes) == 2 and sum(v["no"] for v in votes) == 1
    history = call(server, "GET", "/api/v1/contributors/me/contributions", token)["contributions"]
    assert [entry["kind"] for entry in history] == ["validate.vote"] * 3
    assert len({entry["target_id"] for entry in history}) == 3
