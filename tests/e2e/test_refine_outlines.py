"""The /refine page in real Chromium with annotate: a question about one outlined dog (drawn over the picture), and
choice buttons with small example pictures of settled values, at 1280 and 390 px."""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import ARGS, CHROMIUM  # noqa: E402
from test_refine_page import call, donate  # noqa: E402

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/refine-shots")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    live = LiveServer(tmp_path / "data", plugins="annotate refine")
    yield live.url
    live.stop()


@pytest.mark.parametrize("width", [1280, 390])
def test_an_outlined_dog_with_example_pictures(server: str, width: int) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    donor = call(server, "POST", "/api/v1/clients")["token"]
    settled = [donate(server, donor, seed) for seed in (3, 4)]
    for image in settled:
        for _ in range(3):
            call(server, "POST", f"/api/v1/image-labels/{image['labels'][0]['id']}/properties",
                 call(server, "POST", "/api/v1/clients")["token"], json.dumps(
                     {"property": "color", "value": "brown"}).encode())
    outlined = donate(server, donor, 5)
    il = outlined["labels"][0]["id"]
    rect = {"type": "rect", "x": 20, "y": 10, "width": 60, "height": 50}
    call(server, "POST", f"/api/v1/image-labels/{il}/annotations", donor, json.dumps({"shapes": [rect]}).encode())
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text else None)
        page.goto(server + "/refine")
        section = page.locator(".refine")
        sync_api.expect(section).to_have_attribute("data-task", re.compile(r"^shape-\d+$"))
        sync_api.expect(section).to_have_attribute("aria-busy", "false")
        sync_api.expect(page.locator("#question")).to_have_text("What color is this dog in the outline?")
        outline = page.locator("#outline rect.shape")
        sync_api.expect(outline).to_have_count(1)
        assert outline.get_attribute("width") == "60" and outline.get_attribute("x") == "20"
        assert page.locator("#outline").get_attribute("viewBox") == f"0 0 {outlined['width']} {outlined['height']}"
        brown = page.locator('#choices button[data-value="brown"] .refine-examples img')
        sync_api.expect(brown).to_have_count(2)
        sync_api.expect(brown.first).to_have_attribute("alt", "a brown dog")
        sync_api.expect(brown.first).to_have_attribute("loading", "lazy")
        page.wait_for_function("[...document.querySelectorAll('.refine-examples img')].every(i => i.naturalWidth > 0)")
        assert page.locator('#choices button[data-value="black"] .refine-examples img').count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"refine-outline-{width}.png"), full_page=True)
        shape_task = section.get_attribute("data-task")
        page.keyboard.press("1")  # black, about the outlined dog
        sync_api.expect(section).to_have_attribute("data-task", f"label-{il}")  # then the image label itself
        sync_api.expect(section).to_have_attribute("aria-busy", "false")
        sync_api.expect(page.locator("#outline")).to_be_hidden()
        sync_api.expect(page.locator("#question")).to_have_text("What color is this dog?")
        browser.close()
    assert not errors
    shape_id = shape_task.removeprefix("shape-")
    colour = call(server, "GET", f"/api/v1/shapes/{shape_id}/properties")["properties"]["color"]
    assert colour["answers"]["black"] == 1
