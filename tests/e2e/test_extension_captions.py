"""The extension's question card shows the picture's settled caption and takes a new one: typed into its field (keys
there never answer the question), sent with Enter, a clear error for a bad one (the text stays), then the caption
is on the server."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extension_e2e import (  # noqa: E402, F401
    ExtensionBrowser,
    Server,
    api_call,
    browser,
    multipart,
    picture,
    pytestmark,
    unpacked,
    use_server,
)

SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "extcaptions"
SETTLED = "A red car parked under a tree"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("im-ext-captions") / "data", "validate")
    yield srv
    srv.stop()


def post_json(url: str, token: str, body: dict) -> tuple[int, dict]:
    return api_call("POST", url, token=token, body=json.dumps(body).encode(), content_type="application/json")


def donate_captioned(server: Server) -> str:
    """A public picture with a label and a caption two people voted up (settled)."""
    donor = server.new_token()
    body, ctype = multipart([("image", ("p.jpg", picture("JPEG", (240, 180), 57), "image/jpeg")),
                             ("label", server.a_catalog_label())])
    status, donated = api_call("POST", server.url + "/api/v1/images", token=donor, body=body, content_type=ctype)
    assert status == 201, donated
    image_id = donated["image"]["id"]
    deadline = time.monotonic() + 30
    while api_call("GET", f"{server.url}/api/v1/images/{image_id}", token=donor)[1].get("status") != "public":
        assert time.monotonic() < deadline, "the donation was not screened in 30 s"
        time.sleep(0.2)
    status, caption = post_json(f"{server.url}/api/v1/images/{image_id}/captions", donor,
                                {"text": SETTLED, "language": "en"})
    assert status == 201, caption
    for _ in range(2):
        status, answer = post_json(f"{server.url}/api/v1/captions/{caption['id']}/votes", server.new_token(),
                                   {"vote": "up"})
        assert status == 200, answer
    return image_id


def test_the_card_shows_the_settled_caption_and_adds_one(browser: ExtensionBrowser, server: Server) -> None:  # noqa: F811
    context, sw, ext_id = browser
    use_server(sw, server.url)
    image_id = donate_captioned(server)
    popup = context.new_page()
    popup.set_viewport_size({"width": 1280, "height": 900})
    popup.goto(f"chrome-extension://{ext_id}/popup.html?view=tab")
    card = popup.locator("#task-card")
    expect(card).to_have_attribute("data-state", "question", timeout=20_000)
    box = popup.locator(".task-caption")
    expect(box).to_have_attribute("data-image-id", image_id)
    expect(box).to_have_attribute("aria-busy", "false")
    expect(popup.locator(".caption-text")).to_have_text(SETTLED)
    subject = card.get_attribute("data-subject")
    SHOTS.mkdir(parents=True, exist_ok=True)
    popup.screenshot(path=str(SHOTS / "card-caption-1280.png"), full_page=True)

    field = popup.locator(".caption-input")
    field.click()
    field.type("Two sentences. Not allowed")  # "y", "n", "s" typed here answer nothing
    popup.keyboard.press("Enter")
    expect(popup.locator(".caption-status.error")).to_contain_text("one sentence", timeout=10_000)
    expect(box).to_have_attribute("aria-busy", "false")
    expect(field).to_have_value("Two sentences. Not allowed")  # nothing lost
    assert card.get_attribute("data-subject") == subject and card.get_attribute("data-state") == "question"

    field.fill("Sunny street with a parked red car")
    popup.keyboard.press("Enter")
    expect(popup.locator(".caption-status.ok")).to_be_visible(timeout=10_000)
    expect(box).to_have_attribute("aria-busy", "false")
    expect(field).to_have_value("")
    status, listed = api_call("GET", f"{server.url}/api/v1/images/{image_id}/captions")
    assert status == 200, listed
    assert sorted(c["text"] for c in listed["captions"]) == sorted([SETTLED, "Sunny street with a parked red car"])
    popup.set_viewport_size({"width": 390, "height": 844})
    popup.screenshot(path=str(SHOTS / "card-caption-390.png"), full_page=True)
    popup.close()
