"""The image page's "More like this" panel in real Chromium against `imagemonkey serve`: pictures donated over
HTTP, the index brought up to date by `imagemonkey playground index update`, the panel filled with the
look-alikes first."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from test_playground_similar import pictures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium, page_recording_errors  # noqa: E402
from test_playground_page import donate  # noqa: E402
from test_validate_page import call  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.training]


def test_more_like_this_panel(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    live = LiveServer(data_dir, plugins="playground")
    try:
        donor = call(live.url, "POST", "/api/v1/clients")["token"]
        images = [donate(live.url, donor, data, [label])["image"] for data, label in pictures()]
        done = subprocess.run([sys.executable, "-m", "imagemonkey", "playground", "index", "update",
                               "--data-dir", str(data_dir), "--plugins", "playground"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        # the server's job consumer may have run the periodic update already: either way all are indexed now
        assert f", {len(images)} in the index of " in done.stdout, done.stdout
        with launched_chromium() as browser:
            page, errors = page_recording_errors(browser)
            page.goto(f"{live.url}/images/{images[0]['id']}")
            tiles = page.locator("[data-similar-for] .similar-grid li a")
            tiles.nth(3).wait_for(timeout=30_000)
            hrefs = [tiles.nth(i).get_attribute("href") for i in range(4)]
            assert set(hrefs) == {f"/images/{image['id']}" for image in images[1:5]}  # its crops and flips
            assert page.locator("[data-similar-for] .similar-grid img").first.evaluate("img => img.complete")
            assert errors == []
    finally:
        live.stop()
