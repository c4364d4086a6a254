"""The /playground page in real Chromium against `imagemonkey serve`: two versions trained by the server's own job
consumer (the second on more pictures), a picked file predicted as bars, a dataset image predicted, the version
history as a table and as the mAP-against-labels chart."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from playground_support import pictures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import ARGS, CHROMIUM  # noqa: E402
from test_validate_page import call  # noqa: E402

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
    """A live server with the playground, 28 donated pictures (and 12 more kept for later) and a moderator's token."""
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


def chart_points(page: Any) -> list[dict]:
    """The points Chart.js holds for the page's mAP chart."""
    return page.evaluate("() => Chart.getChart(document.getElementById('map-canvas')).data.datasets[0].data")


def inked_pixels(page: Any, selector: str) -> int:
    """How many pixels of the canvas were drawn on."""
    return page.evaluate("""(selector) => { const canvas = document.querySelector(selector);
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0; for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++; return inked; }""", selector)


def test_predict_a_picked_file_and_a_dataset_image(server: tuple[str, str], tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    base, moderator = server
    train(base, moderator)
    donor = call(base, "POST", "/api/v1/clients")["token"]
    for data, labels in pictures()[28:40]:
        donate(base, donor, data, labels)
    train(base, moderator)
    models = call(base, "GET", "/api/v1/playground/models", moderator)["models"][::-1]  # oldest first
    assert models[0]["snapshot"]["image_labels"] < models[1]["snapshot"]["image_labels"]
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
            sync_api.expect(page.locator("#map-chart")).to_have_attribute("data-points", "2")
            assert chart_points(page) == [{"x": m["snapshot"]["image_labels"], "y": m["map"]} for m in models]
            assert inked_pixels(page, "#map-canvas") > 1000  # the line, its points, axes and their titles
            page.set_input_files("#file", str(tmp_path / "query.jpg"))
            sync_api.expect(page.locator("#model-line")).to_contain_text(re.compile(r"Model version [12] "))
            first = page.locator("#bars li").first
            sync_api.expect(first).to_contain_text(labels[0])
            page.screenshot(path=str(SHOTS / f"playground-{width}.png"), full_page=True)
            page.click("#from-dataset")
            page.locator("#dataset button").first.click()
            sync_api.expect(page.locator("#bars li")).not_to_have_count(0)
            page.goto(base + "/statistics")  # the same history, drawn by core's chart module from its table
            figure = page.locator("#chart-playground-map")
            sync_api.expect(figure).to_have_attribute("data-drawn", "1")
            assert inked_pixels(page, "#chart-playground-map canvas") > 1000
            figure.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"statistics-{width}.png"), full_page=True)
            assert not errors
            page.close()
        browser.close()
