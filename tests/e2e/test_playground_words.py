"""Issue 20's /playground items in real Chromium: before any model the panel says only that no model is active;
after one training the bars wear the site's accent, the table tells the labels a version knows from the image
labels it learnt from, the single version's chart point sits inside the chart, and at 390 px nothing is cut off.
Screenshots go to ``$IMAGEMONKEY_SHOTS/pages`` (a temporary folder without it)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from playground_support import pictures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium, page_recording_errors  # noqa: E402
from test_playground_page import donate, train  # noqa: E402
from test_validate_page import call  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.training]
SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or Path(tempfile.gettempdir()) / "imagemonkey-shots") / "pages"
ACCENT = (0xB5, 0x50, 0x1A)  # --accent of site.css
NO_MODEL = "No model is active yet: a moderator trains one below."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A live playground with 28 donated pictures and a moderator's token; no model yet."""
    data = tmp_path_factory.mktemp("playground") / "data"
    live = LiveServer(data, plugins="playground")
    try:
        subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator",
                        "--data-dir", str(data), "--plugins", ""], input=b"long-enough-secret\n",
                       check=True, capture_output=True)
        moderator = call(live.url, "POST", "/api/v1/sessions",
                         body=json.dumps({"username": "mod", "password": "long-enough-secret"}).encode())["token"]
        donor = call(live.url, "POST", "/api/v1/clients")["token"]
        for data_bytes, labels in pictures()[:28]:
            donate(live.url, donor, data_bytes, labels)
        yield live.url, moderator
    finally:
        live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def query_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query") / "query.jpg"
    path.write_bytes(next(data for data, labels in pictures()[40:] if len(labels) == 1))
    return path


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_before_any_model_the_panel_says_only_that(server: tuple[str, str], browser: Any, query_file: Path) -> None:
    from playwright.sync_api import expect

    base, _ = server
    for width in (1280, 390):
        page, errors = page_recording_errors(browser, width)
        page.goto(base + "/playground")
        expect(page.locator("#model-line")).to_have_text(NO_MODEL)
        expect(page.locator("#history")).to_contain_text("No model yet.")
        page.set_input_files("#file", str(query_file))  # a picture does not make the panel say more
        expect(page.locator("#preview")).to_be_visible()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#model-line")).to_have_text(NO_MODEL)
        expect(page.locator("#status")).to_have_text("")
        assert "No picture yet" not in page.locator("main").inner_text()
        shoot(page, f"playground-no-model-{width}.png")
        assert [e for e in errors if "409" not in e] == []  # the refused prediction is the browser's only complaint
        page.close()


def bar_colour(page: Any) -> tuple[int, int, int]:
    """The colour of the first prediction bar's filled part, as drawn."""
    from PIL import Image

    bar = page.locator("#bars li progress").first
    shot = Image.open(io.BytesIO(bar.screenshot())).convert("RGB")
    return shot.getpixel((3, shot.height // 2))


def test_one_version_in_words_and_colours(server: tuple[str, str], browser: Any, query_file: Path) -> None:
    from playwright.sync_api import expect

    base, moderator = server
    train(base, moderator)
    model = call(base, "GET", "/api/v1/playground/models", moderator)["models"][0]
    assert model["snapshot"]["image_labels"] != len(model["labels"])  # the two numbers the page must not mix up
    for width in (1280, 390):
        page, errors = page_recording_errors(browser, width)
        page.goto(base + "/playground")
        expect(page.locator("#model-line")).to_have_text("No picture yet.")
        row = page.locator("#history tr.active td")
        expect(row.nth(1)).to_have_text(str(len(model["labels"])))
        expect(row.nth(1)).to_have_attribute("data-title", "Labels it knows")
        expect(row.nth(2)).to_have_text(str(model["snapshot"]["image_labels"]))
        expect(row.nth(2)).to_have_attribute("data-title", "Image labels learnt from")
        expect(page.locator("#map-chart")).to_have_attribute("data-points", "1")
        inside = page.evaluate("""() => { const chart = Chart.getChart(document.getElementById('map-canvas'));
            const point = chart.getDatasetMeta(0).data[0], area = chart.chartArea, r = point.options.radius;
            return [point.x - r - area.left, area.right - point.x - r,
                    point.y - r - area.top, area.bottom - point.y - r]; }""")
        assert min(inside) >= 0, inside  # the whole point is drawn inside the chart, not cut by its edge
        page.set_input_files("#file", str(query_file))
        expect(page.locator("#bars li")).not_to_have_count(0)
        colour = bar_colour(page)
        assert all(abs(a - b) <= 12 for a, b in zip(colour, ACCENT, strict=True)), colour  # the accent, not blue
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out ...
        for cell in page.locator("#history tr.active td").all():
            box = cell.bounding_box()
            assert box is None or box["x"] + box["width"] <= width  # ... and no column is cut off
        page.locator("#history").scroll_into_view_if_needed()
        shoot(page, f"playground-{width}.png")
        assert errors == []
        page.close()
