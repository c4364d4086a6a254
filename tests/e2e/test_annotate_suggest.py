"""GrabCut in the editor, in real Chromium against a real server: draw a rough box, press G, accept the proposal
with Save, and the saved outline is the proposal (close to the hand-drawn one) through the API."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "plugins" / "annotate"))
from grabcut_support import REFERENCES, iou, photograph, png  # noqa: E402
from test_annotate_editor import CHROMIUM, CHROMIUM_ARGS, wait_until  # noqa: E402

pytestmark = pytest.mark.e2e
playwright_api = pytest.importorskip("playwright.sync_api")
STATUS = "document.getElementById('annotate-status').textContent"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    live = LiveServer(tmp_path / "data", plugins="annotate")
    yield live.url
    live.stop()


def test_a_box_then_g_then_save_stores_the_suggested_outline(server: str) -> None:
    token = requests.post(f"{server}/api/v1/clients", timeout=5).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    image = requests.post(f"{server}/api/v1/images", files={"image": ("coffee.png", png(photograph("coffee")),
                          "image/png")}, data={"label": ["cup"]}, headers=headers, timeout=10).json()["image"]
    cup = image["labels"][0]["id"]
    width, height = image["width"], image["height"]
    _, (x, y, w, h), reference = REFERENCES["coffee"]

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.add_init_script(f"localStorage.setItem('imagemonkey.token', {token!r})")
        page.goto(f"{server}/annotate/{image['id']}?label=cup")
        page.wait_for_selector("#annotate-app.is-ready")
        wait_until(page, "document.getElementById('annotate-image').getBoundingClientRect().width > 0")

        def screen(px: float, py: float) -> tuple[float, float]:
            box = page.evaluate("(() => { const r = document.getElementById('annotate-image')"
                                ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()")
            return box[0] + px * box[2] / width, box[1] + py * box[3] / height

        page.keyboard.press("g")  # no box yet: the editor says what to do
        wait_until(page, f"{STATUS}.startsWith('Draw a rough box')")
        page.keyboard.press("r")
        page.mouse.move(*screen(x, y))
        page.mouse.down()
        page.mouse.move(*screen(x + w, y + h), steps=8)
        page.mouse.up()
        page.keyboard.press("g")
        wait_until(page, f"{STATUS}.startsWith('Suggested outline')", timeout=20)
        assert page.get_attribute("#annotate-app", "data-tool") == "select"
        assert page.locator("#annotate-shapes polygon").count() == 1
        assert page.locator("#annotate-shapes rect").count() == 0
        page.keyboard.press("Control+s")
        wait_until(page, f"{STATUS}.startsWith('Saved')")
        assert not errors, errors
        browser.close()

    annotation = requests.get(f"{server}/api/v1/image-labels/{cup}/annotations", headers=headers,
                              timeout=5).json()["annotation"]
    [shape] = annotation["shapes"]
    assert shape["type"] == "polygon" and len(shape["points"]) >= 3
    assert iou(shape["points"], reference, width, height) >= 0.7
