"""Report where the picture changes in the browser, in real Chromium: the validate page, a validate grid tile and
the annotate editor. After each report the page moves on, and over HTTP the reporter's tasks never offer the
picture again."""
from __future__ import annotations

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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "report"))
from report_support import picture  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium, page_recording_errors  # noqa: E402
from test_report_pages import wait_until_public  # noqa: E402
from test_validate_page import call  # noqa: E402

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api")
SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "report"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("report-tasks") / "data"
    live = LiveServer(data, plugins="validate report")
    yield live.url, data
    live.stop()


@pytest.fixture(scope="module")
def annotate_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Without validate, so that a new label is an annotate task at once (validate would want it verified)."""
    live = LiveServer(tmp_path_factory.mktemp("report-annotate") / "data", plugins="annotate report")
    yield live.url
    live.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


def donate(base: str, token: str, seed: int, label: str) -> str:
    boundary = "----report-tasks-e2e"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n{label}\r\n'.encode(),
             f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{seed}.jpg"\r\n'
             f"Content-Type: image/jpeg\r\n\r\n".encode() + picture(seed) + b"\r\n", f"--{boundary}--\r\n".encode()]
    image_id = call(base, "POST", "/api/v1/images", token, b"".join(parts),
                    f"multipart/form-data; boundary={boundary}")["image"]["id"]
    wait_until_public(base, token, image_id)
    return image_id


def pictures(base: str, label: str, seeds: range) -> list[str]:
    donor = call(base, "POST", "/api/v1/clients")["token"]
    return [donate(base, donor, seed, label) for seed in seeds]


def task_images(base: str, token: str, kind: str, label: str) -> list[str]:
    """Every image the contributor's next tasks of ``kind`` offer, skipping each one until none is left."""
    seen: list[str] = []
    skip: list[str] = []
    for _ in range(20):
        params = f"kind={kind}&label={label}" + (f"&skip={','.join(skip)}" if skip else "")
        answer = call(base, "GET", f"/api/v1/tasks/next?{params}", token)
        if answer is None:
            return seen
        task = answer["task"]
        seen.append(task["image"]["id"])
        if kind == "annotate":  # an annotate task is skipped on the server
            call(base, "POST", f"/api/v1/image-labels/{task['image_label']['id']}/skip", token)
        else:
            skip.append(f"{task['subject_kind']}:{task['subject_id']}")
    raise AssertionError(f"tasks never ran out: {seen}")


def grid_images(base: str, token: str, label: str) -> list[str]:
    return [item["image"]["id"] for item in call(base, "GET", f"/api/v1/tasks/grid?label={label}&n=9", token)["items"]]


def moderation_reasons(base: str, data: Path, image_id: str) -> list[str]:
    """The open reports' reasons of ``image_id`` in the moderation queue, as a moderator sees them."""
    subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator", "--data-dir",
                    str(data)], input=b"correct horse battery\n", check=True, capture_output=True)
    moderator = call(base, "POST", "/api/v1/sessions", None,
                     json.dumps({"username": "mod", "password": "correct horse battery"}).encode())["token"]
    items = call(base, "GET", "/api/v1/moderation/queue?kind=reported", moderator)["items"]
    return [r["reason"] for item in items if item["image"]["id"] == image_id for r in item["reports"]]


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def apart(page: Any, one: str, other: str) -> bool:
    """The two elements' boxes do not overlap (the Report button covers no picture and no control)."""
    a, b = page.locator(one).bounding_box(), page.locator(other).bounding_box()
    return (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_report_from_the_validate_page(server: tuple[str, Path], chromium: Any) -> None:
    base, data = server
    images = pictures(base, "dog", range(10, 13))
    page, errors = page_recording_errors(chromium)
    page.goto(f"{base}/validate?label=dog")
    section = page.locator("section.validate[data-image-id]")
    sync_api.expect(page.locator("#btn-yes")).to_be_enabled()
    reported = section.get_attribute("data-image-id")
    assert reported in images
    action = page.locator(".validate .report-action")
    action.get_by_role("button", name="Report").click()
    action.get_by_label("Something else").check()
    action.get_by_role("button", name="Send report").click()
    note = action.get_by_label("A short note")
    assert note.evaluate("field => field.validationMessage") == "Please say in a few words what is wrong."
    note.fill("a screenshot of a menu")
    action.get_by_role("button", name="Send report").focus()
    page.keyboard.press("y")  # keys inside the form are the form's, not answers
    shoot(page, "validate-report-1280")
    action.get_by_role("button", name="Send report").click()
    sync_api.expect(action.locator(".report-status")).to_contain_text("Thank you")
    sync_api.expect(section).not_to_have_attribute("data-image-id", reported)  # the page moved on
    sync_api.expect(page.locator("#btn-yes")).to_be_enabled()
    sync_api.expect(action.get_by_role("button", name="Report")).to_be_enabled()  # for the picture shown now
    assert apart(page, ".validate .report-open", "#picture")
    page.set_viewport_size({"width": 390, "height": 800})
    shoot(page, "validate-report-390")
    assert apart(page, ".validate .report-open", "#picture") and apart(page, ".validate .report-open", "#btn-skip")
    for _ in range(2):  # skip the two others: no picture left, no Report button
        sync_api.expect(page.locator("#btn-skip")).to_be_enabled()
        page.locator("#btn-skip").click()
    sync_api.expect(page.locator("#question")).to_contain_text("Nothing left")
    sync_api.expect(action).to_be_hidden()
    token = page.evaluate("localStorage.getItem('imagemonkey.token')")
    page.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    history = call(base, "GET", "/api/v1/contributors/me/contributions", token)["contributions"]
    assert [entry["kind"] for entry in history] == ["report.report"]
    offered = task_images(base, token, "validate", "dog")
    assert reported not in offered and sorted(offered) == sorted(set(images) - {reported})
    assert moderation_reasons(base, data, reported) == ["other"]


def test_report_from_a_grid_tile(server: tuple[str, Path], chromium: Any) -> None:
    base, _ = server
    images = pictures(base, "cat", range(20, 23))
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/validate/grid?label=cat")
    tiles = page.locator(".validate-tile")
    sync_api.expect(tiles).to_have_count(3)
    sync_api.expect(tiles.locator(".report-open")).to_have_count(3)
    assert apart(page, ".validate-tile:nth-child(2) .report-open", ".validate-tile:nth-child(2) img")
    reported = tiles.nth(1).get_attribute("data-image-id")
    tiles.nth(1).get_by_role("button", name="Report").click()
    tiles.nth(1).get_by_label("Spam or not a photo").check()
    shoot(page, "grid-report-1280")
    tiles.nth(1).get_by_role("button", name="Send report").click()
    sync_api.expect(tiles.nth(1)).to_have_class("validate-tile is-withdrawn")
    sync_api.expect(tiles.nth(1).locator(".report-status")).to_have_text("Reported. Thank you!")
    sync_api.expect(tiles.locator("img")).to_have_count(2)
    page.set_viewport_size({"width": 390, "height": 800})
    shoot(page, "grid-report-390")
    assert apart(page, ".validate-tile:nth-child(1) .report-open", ".validate-tile:nth-child(1) img")
    tiles.nth(0).get_by_role("button", name="Report").click()  # on a phone the form is a sheet over the page
    sync_api.expect(tiles.nth(0).get_by_role("button", name="Send report")).to_be_in_viewport()
    shoot(page, "grid-report-sheet-390")
    tiles.nth(0).get_by_role("button", name="Cancel").click()
    token = page.evaluate("localStorage.getItem('imagemonkey.token')")
    assert sorted(grid_images(base, token, "cat")) == sorted(set(images) - {reported})
    tiles.nth(0).locator("img").click()  # tick the first: yes; the third: no; the reported one: no answer
    page.get_by_role("button", name="Send answers").click()
    sync_api.expect(page.locator("#question")).to_contain_text("Nothing left")
    page.close()
    history = call(base, "GET", "/api/v1/contributors/me/contributions", token)["contributions"]
    kinds = sorted(entry["kind"] for entry in history)
    assert kinds == ["report.report", "validate.vote", "validate.vote"]
    other = call(base, "POST", "/api/v1/clients")["token"]
    assert sorted(grid_images(base, other, "cat")) == sorted(images)  # only the reporter no longer gets it


def test_report_from_the_annotate_editor(annotate_server: str, chromium: Any) -> None:
    base = annotate_server
    first, second = pictures(base, "bird", range(30, 32))
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/annotate/{first}?label=bird")
    page.wait_for_selector("#annotate-app.is-ready")
    action = page.locator(".annotate-side .report-action")
    action.get_by_role("button", name="Report").click()
    action.get_by_label("Copyright").check()
    shoot(page, "annotate-report-1280")
    action.get_by_role("button", name="Send report").click()
    sync_api.expect(page.locator("#annotate-app")).to_have_attribute("data-image-id", second)
    sync_api.expect(page).to_have_url(f"{base}/annotate/{second}?label=bird")
    sync_api.expect(action.locator(".report-status")).to_contain_text("Thank you")
    sync_api.expect(page.locator("#annotate-status")).to_have_text("Outline each bird.")
    assert page.evaluate("document.getElementById('annotate-image').getAttribute('href')").startswith("blob:")
    page.set_viewport_size({"width": 390, "height": 800})
    # the fitted picture is fitted again when the stage changes size (it was left off-screen at 390 px)
    page.wait_for_function("""() => { const s = document.getElementById('annotate-stage').getBoundingClientRect();
        const i = document.getElementById('annotate-image').getBoundingClientRect();
        return i.width > 0 && i.left >= s.left - 1 && i.right <= s.right + 1 && i.top >= s.top - 1
            && i.bottom <= s.bottom + 1; }""", timeout=5000)
    shoot(page, "annotate-report-390")
    assert apart(page, ".annotate-side .report-open", "#annotate-stage")
    token = page.evaluate("localStorage.getItem('imagemonkey.token')")
    page.close()
    assert task_images(base, token, "annotate", "bird") == [second]
