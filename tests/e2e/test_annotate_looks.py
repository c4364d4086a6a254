"""The annotation editor's looks and words in real Chromium: a small picture fills the editor, the picture comes
first on a phone, and the instruction reads as the catalog says ("Outline the sky.", "Outline each dog.").

Screenshots at 1280 and 390 px go to ``$IMAGEMONKEY_SHOTS`` when it is set.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "validate"))
from test_validate_page import call  # noqa: E402
from test_website_pages import browser, shoot, strict_page  # noqa: E402, F401
from validate_support import picture  # noqa: E402

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def small_image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The server and a 96 × 96 picture labelled sky, coffee, dog and scissors."""
    live = LiveServer(tmp_path_factory.mktemp("annotate-looks") / "data", plugins="annotate")
    token = call(live.url, "POST", "/api/v1/clients")["token"]
    boundary = "----annotate-looks"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n{label}\r\n'.encode()
             for label in ("sky", "coffee", "dog", "scissors")]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="small.jpg"\r\n'
              f"Content-Type: image/jpeg\r\n\r\n".encode() + picture(7, 96) + b"\r\n", f"--{boundary}--\r\n".encode()]
    image = call(live.url, "POST", "/api/v1/images", token, b"".join(parts),
                 f"multipart/form-data; boundary={boundary}")["image"]
    yield live.url, image["id"]
    live.stop()


def open_editor(page: Any, url: str) -> dict[str, float]:
    """Open the editor, wait until it is ready; the picture's box on the page."""
    page.goto(url)
    page.wait_for_selector("#annotate-app.is-ready")
    return page.evaluate("""() => { const box = document.getElementById('annotate-image').getBoundingClientRect();
        const stage = document.getElementById('annotate-stage').getBoundingClientRect();
        return {top: box.top + scrollY, width: box.width, height: box.height,
                stageWidth: stage.width, stageHeight: stage.height}; }""")


def test_a_small_picture_fills_the_editor(small_image: tuple[str, str], browser: Any) -> None:  # noqa: F811
    server, image_id = small_image
    page, errors = strict_page(browser)
    box = open_editor(page, f"{server}/annotate/{image_id}?label=dog")
    # 96 px shown at least 90% of the stage's smaller side (it was 96 px: never scaled up)
    assert box["width"] >= 0.9 * min(box["stageWidth"], box["stageHeight"]) > 300
    shoot(page, "annotate-small-1280.png")
    assert errors == []


def test_the_picture_comes_first_on_a_phone(small_image: tuple[str, str], browser: Any) -> None:  # noqa: F811
    server, image_id = small_image
    page, errors = strict_page(browser, 390)
    box = open_editor(page, f"{server}/annotate/{image_id}?label=dog")
    assert box["top"] < 200  # right under the header (it was about 800 px down, under the tools)
    assert box["width"] >= 0.9 * min(box["stageWidth"], box["stageHeight"])
    shoot(page, "annotate-small-390.png")
    assert errors == []


def test_the_instruction_reads_as_the_catalog_says(small_image: tuple[str, str], browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    server, image_id = small_image
    page, errors = strict_page(browser)
    open_editor(page, f"{server}/annotate/{image_id}?label=sky")
    status = page.locator("#annotate-status")
    expect(status).to_have_text("Outline the sky.")
    for label, words in (("coffee", "Outline the coffee."), ("dog", "Outline each dog."),
                         ("scissors", "Outline each pair of scissors.")):
        page.locator(".annotate-label", has_text=label).click()
        expect(status).to_have_text(words)
    assert errors == []
