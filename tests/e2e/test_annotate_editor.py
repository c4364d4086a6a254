"""The annotation editor in real Chromium against a real server: draw, zoom, move, save, check the API."""
from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
from PIL import Image, ImageDraw

from imagemonkey.liveserver import LiveServer

pytestmark = pytest.mark.e2e
playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTH, HEIGHT = 800, 600


def wait_until(page: Any, expression: str, timeout: float = 10.0) -> None:
    """Poll ``expression`` with ``page.evaluate`` (DevTools protocol: allowed under the page's strict CSP, unlike
    ``wait_for_function``, whose in-page polling evaluates strings and is refused by ``script-src 'self'``)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)


def picture() -> bytes:
    rng = np.random.default_rng(42)
    img = Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8), "RGB").resize((WIDTH, HEIGHT))
    ImageDraw.Draw(img).ellipse((300, 200, 500, 400), fill=(250, 200, 0))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    live = LiveServer(tmp_path / "data", plugins="annotate")
    yield live.url
    live.stop()


def test_draw_zoom_move_and_save(server: str) -> None:
    token = requests.post(f"{server}/api/v1/clients", timeout=5).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    image = requests.post(f"{server}/api/v1/images", files={"image": ("a.jpg", picture(), "image/jpeg")},
                          data={"label": ["dog", "cat"]}, headers=headers, timeout=10).json()["image"]
    dog = next(il["id"] for il in image["labels"] if il["label"] == "dog")

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc) + str(exc.stack)))
        page.add_init_script(f"localStorage.setItem('imagemonkey.token', {token!r})")
        page.goto(f"{server}/annotate/{image['id']}?label=dog")
        page.wait_for_selector("#annotate-app.is-ready")
        wait_until(page, "document.getElementById('annotate-image').getBoundingClientRect().width > 0")

        stage = page.locator("#annotate-stage").bounding_box()
        page.mouse.move(stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2)
        before = page.inner_text("#annotate-zoom")
        page.mouse.wheel(0, -300)
        wait_until(page, f"document.getElementById('annotate-zoom').textContent !== {before!r}")
        assert page.inner_text("#annotate-zoom") not in ("100%", before)

        def screen(x: float, y: float) -> tuple[float, float]:
            box = page.evaluate("(() => { const r = document.getElementById('annotate-image')"
                                ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()")
            return box[0] + x * box[2] / WIDTH, box[1] + y * box[3] / HEIGHT

        def drag(start: tuple[float, float], end: tuple[float, float]) -> None:
            page.mouse.move(*screen(*start))
            page.mouse.down()
            page.mouse.move(*screen(*end), steps=8)
            page.mouse.up()

        # typing in the label field never switches tools
        page.keyboard.press("r")
        page.fill("#annotate-new-label", "")
        page.click("#annotate-new-label")
        page.keyboard.type("pv")
        assert page.get_attribute("#annotate-app", "data-tool") == "rect"
        page.click("#annotate-stage", position={"x": 5, "y": 5}, button="middle")

        page.keyboard.press("r")
        drag((300, 250), (450, 380))
        page.keyboard.press("p")
        polygon = [(500, 100), (650, 120), (600, 300), (520, 260)]
        for point in polygon:
            page.mouse.click(*screen(*point))
        page.keyboard.press("Enter")
        page.keyboard.press("v")
        drag((375, 315), (335, 345))  # move the rectangle by (-40, +30)
        page.keyboard.press("Control+s")
        wait_until(page, "document.getElementById('annotate-status').textContent.startsWith('Saved')")
        assert not errors, errors
        browser.close()

    annotation = requests.get(f"{server}/api/v1/image-labels/{dog}/annotations", headers=headers,
                              timeout=5).json()["annotation"]
    rect, poly = annotation["shapes"]
    assert rect["type"] == "rect" and poly["type"] == "polygon"
    for got, want in zip((rect["x"], rect["y"], rect["width"], rect["height"]), (260, 280, 150, 130), strict=True):
        assert abs(got - want) <= 1, rect
    assert len(poly["points"]) == len(polygon)
    for (gx, gy), (wx, wy) in zip(poly["points"], polygon, strict=True):
        assert abs(gx - wx) <= 1 and abs(gy - wy) <= 1, poly
