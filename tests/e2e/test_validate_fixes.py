"""In real Chromium: /validate draws the outline being judged; the grid leaves nothing behind when it is done; the
chooser fits 390 px; /annotate says labels wait for validation and links there."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_validate_page import call, donate, settled  # noqa: E402
from test_website_pages import browser, shoot, strict_page  # noqa: E402, F401

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    live = LiveServer(tmp_path_factory.mktemp("fixes") / "data", plugins="validate annotate")
    yield live.url
    live.stop()


def verify(server: str, image_label_id: str) -> None:
    for _ in range(12):
        call(server, "POST", f"/api/v1/image-labels/{image_label_id}/votes",
             call(server, "POST", "/api/v1/clients")["token"], b'{"vote": "yes"}')
        if settled(server, image_label_id)["state"] == "verified":  # votes are counted after the answer
            return
    raise AssertionError("never verified")


def test_annotate_explains_and_validate_draws_the_outline(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    donor = call(server, "POST", "/api/v1/clients")["token"]
    image = donate(server, donor, 501, "dog")
    page, errors = strict_page(browser)
    page.goto(server + "/annotate")
    page.click("#annotate-start button")
    expect(page.locator("#annotate-status a")).to_have_attribute("href", "/validate")
    expect(page.locator("#annotate-status")).to_contain_text("waiting")
    shoot(page, "annotate-waiting-1280.png")

    label = image["labels"][0]["id"]
    verify(server, label)
    shapes = {"shapes": [{"type": "ellipse", "cx": 48, "cy": 48, "rx": 30, "ry": 20}]}
    call(server, "POST", f"/api/v1/image-labels/{label}/annotations", donor, json.dumps(shapes).encode())
    page.goto(server + "/validate")
    expect(page.locator("#question")).to_have_text("Is this outline of a dog right?")
    expect(page.locator("#outline ellipse")).to_have_count(1)
    picture, overlay = page.locator("#picture").bounding_box(), page.locator("#outline").bounding_box()
    assert all(abs(picture[key] - overlay[key]) < 1 for key in ("x", "y", "width", "height"))  # drawn on the picture
    shoot(page, "validate-outline-1280.png")
    page.keyboard.press("y")
    expect(page.locator("#progress")).to_have_text("1 answered")
    expect(page.locator("#outline ellipse")).to_have_count(0)
    assert errors == []


def test_grid_done_and_chooser_at_390(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    donor = call(server, "POST", "/api/v1/clients")["token"]
    donate(server, donor, 511, "cat")
    page, errors = strict_page(browser, 390)
    page.goto(server + "/validate")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out
    box = page.locator("#chooser button").bounding_box()
    assert box["x"] + box["width"] <= 390
    shoot(page, "validate-390.png")
    page.goto(server + "/validate/grid?label=cat")
    page.fill("#label", "cat")
    page.click("#chooser button")
    expect(page.locator("#grid input")).to_have_count(1)
    expect(page.locator("#instructions")).to_be_visible()
    page.check("#grid input")
    page.click("#send")
    expect(page.locator("#question")).to_contain_text("Nothing left to validate")
    expect(page.locator("#send")).to_be_hidden()
    expect(page.locator("#instructions")).to_be_hidden()
    shoot(page, "grid-done-390.png")
    assert errors == []
