"""Near-duplicate review in real Chromium against `imagemonkey serve`: crops and flips of two photographs are
embedded, indexed and clustered by the CLI; a moderator opens /moderate, moves with the page's j/k, chooses the
second picture of the first cluster with the arrow key, merges the cluster with `m` and keeps the other with `a`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from test_playground_duplicates import pictures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_playground_page import donate  # noqa: E402
from test_validate_page import call  # noqa: E402
from test_website_pages import browser, strict_page  # noqa: E402, F401

pytestmark = [pytest.mark.e2e, pytest.mark.training]
SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "playground"
LOGIN = {"username": "dora", "password": "correct horse battery"}


def cli(data_dir: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "imagemonkey", *args, "--data-dir", str(data_dir), "--plugins",
                           "playground"], capture_output=True, text=True, timeout=300,
                          input="correct horse battery\n")
    assert done.returncode == 0, done.stderr


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[dict]]]:
    """The variants of the cat's and the cup's photographs and one rocket, donated, indexed and clustered."""
    data_dir = tmp_path / "data"
    live = LiveServer(data_dir, plugins="playground")
    try:
        donor = call(live.url, "POST", "/api/v1/clients")["token"]
        chosen = pictures()[:10] + pictures()[15:16]
        images = [donate(live.url, donor, data, [label])["image"] for data, label in chosen]
        cli(data_dir, "playground", "index", "update")
        cli(data_dir, "playground", "duplicates")
        cli(data_dir, "user", "add", LOGIN["username"], "--role", "moderator")
        yield live.url, images
    finally:
        live.stop()


def test_moderator_merges_a_cluster_by_keyboard(server: tuple[str, list[dict]], browser: object) -> None:  # noqa: F811
    from playwright.sync_api import expect

    base, images = server
    page, errors = strict_page(browser, 1280)
    page.goto(f"{base}/")
    page.evaluate("""async (login) => {
        const answer = await fetch("/api/v1/sessions", {method: "POST", headers: {"Content-Type": "application/json"},
                                                        body: JSON.stringify(login)});
        localStorage.setItem("imagemonkey.token", (await answer.json()).token);
    }""", LOGIN)
    page.goto(f"{base}/moderate")
    clusters = page.locator("#duplicates-list > li")
    expect(clusters).to_have_count(2, timeout=15000)
    expect(page.locator("#duplicates-list")).to_have_attribute("aria-busy", "false")
    first = clusters.first
    expect(first).to_have_class("selected")
    expect(first.locator("label")).to_have_count(5)
    expect(first.locator("img").nth(4)).to_have_js_property("complete", True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "duplicates-1280.png"), full_page=True)
    shown = {first.locator("input[type=radio]").nth(i).get_attribute("value") for i in range(5)}
    groups = [{image["id"] for image in images[:5]}, {image["id"] for image in images[5:10]}]
    assert shown in groups  # the cat's or the cup's: whichever cluster was filed first
    page.keyboard.press("j")  # the page's key scheme: next ...
    expect(clusters.nth(1)).to_have_class("selected")
    page.keyboard.press("k")  # ... and previous
    expect(first).to_have_class("selected")
    keep = first.locator("input[type=radio]").nth(1)
    kept_id = keep.get_attribute("value")
    page.keyboard.press("ArrowRight")  # the second picture is the one to keep
    expect(keep).to_be_checked()
    cluster_id = first.get_attribute("data-id")
    page.keyboard.press("m")
    expect(clusters).to_have_count(1)
    expect(page.locator("#duplicates-list")).to_have_attribute("aria-busy", "false")
    expect(page.locator("#duplicates-status")).to_have_text(f"Cluster {cluster_id} merged into image {kept_id}.")
    expect(clusters.first).to_have_class("selected")
    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path=str(SHOTS / "duplicates-390.png"), full_page=True)
    assert errors == []
    token = call(base, "POST", "/api/v1/sessions", None, json.dumps(LOGIN).encode())["token"]
    statuses = {image_id: call(base, "GET", f"/api/v1/images/{image_id}", token)["status"] for image_id in shown}
    assert statuses == {i: "public" if i == kept_id else "hidden" for i in shown}
    left = call(base, "GET", "/api/v1/playground/duplicates", token)["clusters"]
    assert [{entry["image"]["id"] for entry in cluster["images"]} for cluster in left] == [
        next(group for group in groups if group != shown)]
    page.keyboard.press("a")  # approve: they are different
    expect(clusters).to_have_count(0)
    expect(page.locator("#duplicates-status")).to_have_text(
        f"Cluster {left[0]['id']} kept: the pictures are different. No more near duplicates.")
    assert call(base, "GET", "/api/v1/playground/duplicates", token)["clusters"] == []
