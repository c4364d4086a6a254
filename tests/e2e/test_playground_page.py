"""The /playground page in real Chromium against `imagemonkey serve`: a model trained by the server's own job
consumer, a picked file predicted as bars, a dataset image predicted, the version history."""
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from playground_support import pictures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_validate_page import ARGS, CHROMIUM, call  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.training]
SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "playground"


def donate(base: str, token: str, data: bytes, labels: list[str]) -> dict:
    boundary = "----playground-e2e"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n{label}\r\n'.encode()
             for label in labels]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="p.jpg"\r\n'
              f"Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n", f"--{boundary}--\r\n".encode()]
    return call(base, "POST", "/api/v1/images", token, b"".join(parts), f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A live server with the playground, 28 donated pictures and a moderator's token."""
    data_dir = tmp_path / "data"
    live = LiveServer(data_dir, plugins="playground")
    try:
        # accounts are core's: without --plugins the command need not load the playground (and torch) for it
        subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator",
                        "--data-dir", str(data_dir), "--plugins", ""], input=b"long-enough-secret\n",
                       check=True, capture_output=True)
        moderator = call(live.url, "POST", "/api/v1/sessions",
                         body=json.dumps({"username": "mod", "password": "long-enough-secret"}).encode())["token"]
        donor = call(live.url, "POST", "/api/v1/clients")["token"]
        for data, labels in pictures()[:28]:
            donate(live.url, donor, data, labels)
        yield live.url, moderator
    finally:
        live.stop()


def train(base: str, moderator: str) -> None:
    """Queue a training and wait for the server's job consumer to finish it (the version becomes active)."""
    job = call(base, "POST", "/api/v1/playground/models", moderator)["job"]
    deadline = time.monotonic() + 120
    while (state := call(base, "GET", f"/api/v1/jobs/{job['id']}", moderator))["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    assert state["state"] == "done", state


def test_predict_a_picked_file_and_a_dataset_image(server: tuple[str, str], tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    base, moderator = server
    train(base, moderator)
    data, labels = next(p for p in pictures()[40:] if len(p[1]) == 1)
    (tmp_path / "query.jpg").write_bytes(data)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))  # noqa: B023
            page.goto(base + "/playground")
            sync_api.expect(page.locator("#history tr.active")).to_contain_text("active")
            page.set_input_files("#file", str(tmp_path / "query.jpg"))
            sync_api.expect(page.locator("#model-line")).to_contain_text("Model version 1")
            first = page.locator("#bars li").first
            sync_api.expect(first).to_contain_text(labels[0])
            page.screenshot(path=str(SHOTS / f"playground-{width}.png"), full_page=True)
            page.click("#from-dataset")
            page.locator("#dataset button").first.click()
            sync_api.expect(page.locator("#bars li")).not_to_have_count(0)
            assert not errors
            page.close()
        browser.close()
