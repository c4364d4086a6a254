"""Site flows in real Chromium under a strict CSP: donate three files, log in and unlock by keyboard, outlines.

The server runs pre-moderation from an ini file (``imagemonkey serve --config``) with validate and annotate, and a
moderator account made with ``imagemonkey user add``.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from imagemonkey.liveserver import free_port, stop_process, wait_until_answers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_validate_page import call, donate  # noqa: E402
from test_website_pages import browser, shoot, strict_page  # noqa: E402, F401

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("flows")
    ini = folder / "site.ini"
    ini.write_text("\n".join(["[app:main]", "use = egg:imagemonkey", f"imagemonkey.data_dir = {folder / 'data'}",
                              "imagemonkey.plugins = validate annotate", "imagemonkey.moderation = pre",
                              "imagemonkey.rate_limit.clients = off", "imagemonkey.rate_limit.writes = off",
                              "imagemonkey.rate_limit.requests = off", ""]))
    command = [sys.executable, "-m", "imagemonkey"]
    subprocess.run([*command, "user", "add", "mod", "--role", "moderator", "--config", str(ini)],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    port = free_port()
    with open(folder / "serve.log", "wb") as log:
        process = subprocess.Popen([*command, "serve", "--host", "127.0.0.1", "--port", str(port),
                                    "--config", str(ini)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_answers(url + "/api/v1/info", process, 90):
        stop_process(process)
        raise RuntimeError((folder / "serve.log").read_text()[-3000:])
    yield url
    stop_process(process)


def picture_file(folder: Path, name: str, seed: int) -> Path:
    image = Image.new("RGB", (120, 90), (seed * 40 % 256, seed * 90 % 256, seed * 150 % 256))
    for x in range(0, 120, 7):
        for y in range(0, 90, 11):
            image.putpixel((x, y), ((x * seed) % 256, (y * 3) % 256, 50))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path = folder / name
    path.write_bytes(buffer.getvalue())
    return path


def test_donate_three_files(server: str, browser: Any, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    page, errors = strict_page(browser)
    page.goto(server + "/donate")
    expect(page.locator("#catalog option").first).to_be_attached()  # the catalog's names for autocomplete
    page.fill("#label-input", "puppy")
    page.press("#label-input", "Enter")
    expect(page.locator("#labels li")).to_have_count(1)
    files = [picture_file(tmp_path, f"p{seed}.png", seed) for seed in (1, 2)]
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"this is not a picture")
    page.set_input_files("#files", [str(path) for path in (*files, bad)])
    page.click("#send")
    rows = page.locator("#results li")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).not_to_contain_text("sending")
    expect(rows.nth(0)).to_have_class("new")
    expect(rows.nth(1)).to_have_class("new")
    expect(rows.nth(2)).to_have_class("refused")
    expect(rows.nth(0)).to_contain_text("labels now: dog")
    page.set_input_files("#files", [str(files[0])])
    page.click("#send")
    expect(rows.nth(3)).to_have_class("duplicate")
    shoot(page, "donate-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "donate-390.png")
    assert errors == []


def test_log_in_and_unlock_a_pending_donation_by_keyboard(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    donor = call(server, "POST", "/api/v1/clients")["token"]
    first, second = donate(server, donor, 301, "dog"), donate(server, donor, 302, "cat")
    assert first["status"] == second["status"] == "pending"
    page, errors = strict_page(browser)
    page.goto(server + "/moderate")
    expect(page.locator("#moderate-status a")).to_have_text("log in")
    page.click("#moderate-status a")
    page.fill("#username", "mod")
    page.fill("#password", PASSWORD)
    page.click("#login button")
    page.wait_for_url("**/moderate")
    items = page.locator("#queue li")
    expect(items.first).to_have_attribute("data-id", second["id"])  # newest first
    expect(items.first).to_have_class("selected")
    waiting = items.count()  # the other tests' donations wait here too
    expect(items.nth(1)).to_have_attribute("data-id", first["id"])
    shoot(page, "moderate-1280.png")
    page.keyboard.press("a")  # approve: unlock
    expect(items).to_have_count(waiting - 1)
    expect(page.locator("#moderate-status")).to_have_text(f"Image {second['id']} unlocked.")
    expect(items.first).to_have_class("selected")
    page.keyboard.press("d")  # remove
    expect(items).to_have_count(waiting - 2)
    expect(page.locator("#moderate-status")).to_contain_text(f"Image {first['id']} removed.")
    assert call(server, "GET", f"/api/v1/images/{second['id']}")["status"] == "public"
    moderator = page.evaluate("localStorage.getItem('imagemonkey.token')")
    assert call(server, "GET", f"/api/v1/images/{first['id']}", moderator)["status"] == "removed"
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "moderate-390.png")
    assert errors == []


def test_image_page_draws_outlines_with_toggles(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    token = call(server, "POST", "/api/v1/clients")["token"]
    image = donate(server, token, 303, "dog")
    moderator = call(server, "POST", "/api/v1/sessions", None,
                     json.dumps({"username": "mod", "password": PASSWORD}).encode())["token"]
    call(server, "POST", f"/api/v1/images/{image['id']}/status", moderator, b'{"status": "public"}')
    label = image["labels"][0]["id"]
    shapes = {"shapes": [{"type": "rect", "x": 10, "y": 10, "width": 40, "height": 30},
                         {"type": "polygon", "points": [[60, 10], [90, 20], [70, 60]]}]}
    call(server, "POST", f"/api/v1/image-labels/{label}/annotations", token, json.dumps(shapes).encode())
    page, errors = strict_page(browser)
    page.goto(f"{server}/images/{image['id']}")
    expect(page.locator("#figure")).to_have_attribute("data-outlines", "1")
    group = page.locator("svg.outlines g")
    expect(group.locator("rect, polygon")).to_have_count(2)
    expect(page.locator("ul.labels li .state")).to_have_text("unverified")
    expect(page.locator("time")).to_have_text("just now")
    shoot(page, "image-1280.png")
    page.uncheck("input[data-toggle]")
    expect(group).to_be_hidden()
    page.check("input[data-toggle]")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "image-390.png")
    assert errors == []


def test_me_shows_your_donations_and_log(server: str, browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    page, errors = strict_page(browser)
    page.goto(server + "/donate")
    token = page.evaluate("""async () => { const r = await fetch('/api/v1/clients', {method: 'POST'});
        const t = (await r.json()).token; localStorage.setItem('imagemonkey.token', t); return t; }""")
    image = donate(server, token, 304, "dog")
    page.goto(server + "/me")
    expect(page.locator("#me-status")).to_contain_text("Anonymous contributor")
    expect(page.locator("#me-donations li")).to_have_count(1)
    # a pending image: its thumbnail is fetched with the token and shown from a blob: URL
    page.wait_for_function("() => document.querySelector('#me-donations img').naturalWidth > 0")
    expect(page.locator("#me-log li")).to_have_count(2)  # the donation and its label
    for link in page.locator("#me-log li a").all():  # both lead to the picture
        expect(link).to_have_attribute("href", f"/images/{image['id']}")
    expect(page.locator("#me-counts")).to_contain_text("donations")
    expect(page.locator("#validate-agreement")).to_have_text("0 answers; 0 of them on labels the crowd has settled.")
    shoot(page, "me-1280.png")
    assert errors == []
