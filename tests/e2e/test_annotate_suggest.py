"""GrabCut in the editor, in real Chromium against a real server: draw a rough box, press G, undo back to the box
and ask again, refine the proposal with an "outside" stroke, accept it with Save, and the saved outline is the
refined proposal through the API."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "plugins" / "annotate"))
from grabcut_support import REFERENCES, iou, mask, photograph, png  # noqa: E402
from test_annotate_editor import CHROMIUM, CHROMIUM_ARGS, wait_until  # noqa: E402

pytestmark = pytest.mark.e2e
playwright_api = pytest.importorskip("playwright.sync_api")
STATUS = "document.getElementById('annotate-status').textContent"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    live = LiveServer(tmp_path / "data", plugins="annotate")
    yield live.url
    live.stop()


def test_a_box_then_g_then_an_outside_stroke_then_save_stores_the_refined_outline(server: str) -> None:
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
        def drag(start: tuple[float, float], end: tuple[float, float]) -> None:
            page.mouse.move(*screen(*start))
            page.mouse.down()
            page.mouse.move(*screen(*end), steps=12)
            page.mouse.up()

        page.keyboard.press("o")  # a stroke before any proposal only says how to get one
        drag((100, 100), (150, 100))
        wait_until(page, f"{STATUS}.startsWith('Suggest an outline first')")
        page.keyboard.press("r")
        drag((x, y), (x + w, y + h))
        page.keyboard.press("g")
        wait_until(page, f"{STATUS}.startsWith('Suggested outline')", timeout=20)
        assert page.get_attribute("#annotate-app", "data-tool") == "select"
        assert page.locator("#annotate-shapes polygon").count() == 1
        assert page.locator("#annotate-shapes rect").count() == 0
        page.keyboard.press("Control+z")  # discard: the rough box comes back
        assert page.locator("#annotate-shapes rect").count() == 1
        assert page.locator("#annotate-shapes polygon").count() == 0
        page.keyboard.press("g")
        wait_until(page, "document.querySelectorAll('#annotate-shapes polygon').length === 1", timeout=20)
        wait_until(page, f"{STATUS}.startsWith('Suggested outline')", timeout=20)
        first = page.get_attribute("#annotate-shapes polygon", "points")

        page.keyboard.press("o")  # from the table across the saucer's left rim to the cup: not the object
        drag((60, 230), (200, 230))
        wait_until(page, "document.getElementById('annotate-shapes').querySelector('polygon')"
                         f".getAttribute('points') !== {first!r}", timeout=20)
        wait_until(page, f"{STATUS}.startsWith('Suggested outline')", timeout=20)
        assert page.locator("#annotate-scribbles .annotate-scribble.is-outside").count() == 1
        page.keyboard.press("Control+s")
        wait_until(page, f"{STATUS}.startsWith('Saved')")
        assert page.locator("#annotate-scribbles .annotate-scribble").count() == 0  # accepted: strokes are done
        assert not errors, errors
        browser.close()

    annotation = requests.get(f"{server}/api/v1/image-labels/{cup}/annotations", headers=headers,
                              timeout=5).json()["annotation"]
    [shape] = annotation["shapes"]
    assert shape["type"] == "polygon" and len(shape["points"]) >= 3
    assert iou(shape["points"], reference, width, height) >= 0.7
    assert not mask(shape["points"], width, height)[230, 120]  # the stroke took the saucer's rim out
