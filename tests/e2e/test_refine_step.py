"""Refine's step inside other task pages, in real Chromium at 1280 and 390 px: after a "yes" on the validate page
and after saving an outline in the editor, "What color is this dog?" is asked inline and answered with a number
key; the answer reaches the API."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium, page_recording_errors  # noqa: E402
from test_refine_page import call, donate  # noqa: E402

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api")
SHOTS = Path("/tmp/refine-shots")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """One server per test: its one picture is the only question the validate page can ask."""
    live = LiveServer(tmp_path / "data", plugins="validate annotate refine")
    yield live.url
    live.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


def brown_answers(base: str, image_label_id: str) -> int:
    return call(base, "GET", f"/api/v1/image-labels/{image_label_id}/properties")["properties"]["color"][
        "answers"]["brown"]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_yes_on_the_validate_page_asks_the_colour(server: str, chromium: Any, width: int) -> None:
    donor = call(server, "POST", "/api/v1/clients")["token"]
    image = donate(server, donor, 60 + width % 7)
    il = image["labels"][0]["id"]
    page, errors = page_recording_errors(chromium, width)
    page.goto(f"{server}/validate?label=dog")
    section = page.locator(f"section.validate[data-image-id='{image['id']}']")
    sync_api.expect(section).to_have_count(1)
    sync_api.expect(page.locator("#btn-yes")).to_be_enabled()
    step = page.locator("#refine-step")
    sync_api.expect(step).to_be_hidden()
    page.keyboard.press("y")
    sync_api.expect(step).to_have_attribute("data-state", "question")
    sync_api.expect(step).to_have_attribute("data-image-label", il)
    sync_api.expect(step.locator(".refine-step-question")).to_have_text("What color is this dog?")
    sync_api.expect(step.locator("button[data-value]")).to_have_count(6)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"step-validate-{width}.png"), full_page=True)
    page.keyboard.press("2")  # brown
    sync_api.expect(step).to_have_attribute("data-state", "idle")
    sync_api.expect(step).to_be_hidden()
    page.close()
    assert brown_answers(server, il) == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.parametrize("width", [1280, 390])
def test_a_saved_outline_asks_the_colour(server: str, chromium: Any, width: int) -> None:
    donor = call(server, "POST", "/api/v1/clients")["token"]
    image = donate(server, donor, 70 + width % 7)
    il = image["labels"][0]["id"]
    page, errors = page_recording_errors(chromium, width)
    page.add_init_script(f"localStorage.setItem('imagemonkey.token', {donor!r})")
    page.goto(f"{server}/annotate/{image['id']}?label=dog")
    page.wait_for_selector("#annotate-app.is-ready")
    page.wait_for_function("document.getElementById('annotate-image').getBoundingClientRect().width > 0")
    box = page.locator("#annotate-image").bounding_box()
    page.keyboard.press("r")
    page.mouse.move(box["x"] + box["width"] * .2, box["y"] + box["height"] * .2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * .7, box["y"] + box["height"] * .7, steps=8)
    page.mouse.up()
    page.keyboard.press("Control+s")
    step = page.locator("#refine-step")
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("Saved")
    sync_api.expect(step).to_have_attribute("data-state", "question")
    sync_api.expect(step).to_have_attribute("data-image-label", il)
    sync_api.expect(step.locator(".refine-step-question")).to_have_text("What color is this dog?")
    step.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"step-annotate-{width}.png"), full_page=True)
    page.keyboard.press("2")
    sync_api.expect(step).to_have_attribute("data-state", "idle")
    page.close()
    assert brown_answers(server, il) == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors
