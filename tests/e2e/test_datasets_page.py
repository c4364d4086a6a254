"""The /datasets page in real Chromium against `imagemonkey serve`: empty at first; a moderator builds a release with
the button and follows its job's progress; then the release, its downloads, citation and snippets at 1280 and 390 px.
Screenshots go to /tmp/shots/datasets/."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "datasets"))
from datasets_support import photo  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium, page_recording_errors  # noqa: E402
from test_validate_page import call  # noqa: E402

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots/datasets")
PASSWORD = "long-enough-secret"


def donate(base: str, token: str, data: bytes, labels: list[str]) -> dict:
    boundary = "----datasets-e2e"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n{label}\r\n'.encode()
             for label in labels]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="p.png"\r\n'
              f"Content-Type: image/png\r\n\r\n".encode() + data + b"\r\n", f"--{boundary}--\r\n".encode()]
    return call(base, "POST", "/api/v1/images", token, b"".join(parts), f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A live server (validate, annotate, datasets) with three public photographs and a moderator's token."""
    data_dir = tmp_path / "data"
    live = LiveServer(data_dir, plugins="validate annotate datasets")
    try:
        subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator",
                        "--data-dir", str(data_dir), "--plugins", ""], input=PASSWORD.encode() + b"\n",
                       check=True, capture_output=True)
        moderator = call(live.url, "POST", "/api/v1/sessions",
                         body=json.dumps({"username": "mod", "password": PASSWORD}).encode())["token"]
        donor = call(live.url, "POST", "/api/v1/clients")["token"]
        for name, labels in (("astronaut", ["person"]), ("coffee", ["cup"]), ("chelsea", ["cat"])):
            image = donate(live.url, donor, photo(name, "PNG"), labels)["image"]
            call(live.url, "POST", f"/api/v1/images/{image['id']}/status", moderator,
                 json.dumps({"status": "public"}).encode())
        yield live.url, moderator
    finally:
        live.stop()


def test_a_moderator_builds_a_release_and_sees_it(server: tuple[str, str]) -> None:
    base, moderator = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with launched_chromium() as browser:
        page, errors = page_recording_errors(browser, 1280)
        page.goto(base + "/datasets")
        assert "There is no release yet" in page.inner_text("main")
        assert page.locator("#build").is_hidden()  # visitors get no build button
        page.evaluate("token => localStorage.setItem('imagemonkey.token', token)", moderator)
        page.reload()
        page.wait_for_selector("#build:not([hidden])")
        page.evaluate("""() => { window.statuses = []; new MutationObserver(() => window.statuses.push(
            document.getElementById('build-status').textContent)).observe(document.getElementById('build-status'),
            {childList: true, characterData: true, subtree: true}); }""")
        page.fill("#build-version", "1.0")
        page.check("#build-unverified")
        page.click("#build-button")
        page.wait_for_function("() => window.statuses.some(s => s.startsWith('Release 1.0: ') && s.includes('%'))",
                               timeout=60_000)  # the job's state and progress, polled from /api/v1/jobs/{id}
        page.screenshot(path=str(SHOTS / "building-1280.png"), full_page=True)
        page.wait_for_selector(".datasets-latest", timeout=120_000)  # the page reloads once the job is done
        text = page.inner_text("main")
        for words in ("Release 1.0", "images", "Licence CC0-1.0", "coco-r1.zip", "webdataset-000000-r1.tar",
                      "@misc{imagemonkey_1_0", "cff-version: 1.2.0", "load_dataset(\"imagefolder\"",
                      "import webdataset as wds", "from pycocotools.coco import COCO", "imagemonkey_client",
                      "unverified labels included"):
            assert words in text, words
        assert page.inner_text(".datasets-counts dd >> nth=0") == "3"
        page.screenshot(path=str(SHOTS / "release-1280.png"), full_page=True)
        href = page.get_attribute("a[download]:text('coco-r1.zip')", "href")
        with urllib.request.urlopen(href if href.startswith("http") else base + href, timeout=30) as answer:
            assert answer.status == 200 and answer.headers["Accept-Ranges"] == "bytes"

        narrow, narrow_errors = page_recording_errors(browser, 390)
        narrow.goto(base + "/datasets")
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
        narrow.screenshot(path=str(SHOTS / "release-390.png"), full_page=True)
        narrow.goto(base + "/")
        assert "Download the dataset" in narrow.inner_text("main") and "CC0-1.0" in narrow.inner_text("footer")
        narrow.screenshot(path=str(SHOTS / "home-390.png"), full_page=True)
        assert errors == [] and narrow_errors == []
