"""The extension with validate and report: the popup's question card reports the picture on screen with a reason
from the server's action, by keyboard; the report reaches the moderation queue and the image leaves the reporter's
tasks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extension_e2e import (  # noqa: E402, F401
    ExtensionBrowser,
    Server,
    api_call,
    browser,
    ext_token,
    multipart,
    picture,
    pytestmark,
    unpacked,
    use_server,
)

SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "extaction"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("im-ext-report") / "data"
    srv = Server(data, "validate report")
    srv.data_dir = data
    yield srv
    srv.stop()


def wait_until_public(server: Server, token: str, image_id: str) -> None:
    """The server screens each donation in the background; only then is it asked about."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, image = api_call("GET", f"{server.url}/api/v1/images/{image_id}", token=token)
        if status == 200 and image["status"] == "public":
            return
        time.sleep(0.2)
    raise AssertionError(f"image {image_id} was not screened in 30 s")


def wait_for_card(popup) -> None:  # noqa: ANN001
    popup.wait_for_function("() => ['question', 'empty', 'error', 'unreachable'].includes("
                            "document.querySelector('#task-card').dataset.state)")


def test_popup_reports_the_picture_by_keyboard(browser: ExtensionBrowser, server: Server) -> None:  # noqa: F811
    context, sw, ext_id = browser
    use_server(sw, server.url)
    donor = server.new_token()
    body, ctype = multipart([("image", ("p.jpg", picture("JPEG", (240, 180), 91), "image/jpeg")),
                             ("label", server.a_catalog_label())])
    status, donated = api_call("POST", server.url + "/api/v1/images", token=donor, body=body, content_type=ctype)
    assert status == 201, donated
    image_id = donated["image"]["id"]
    wait_until_public(server, donor, image_id)

    popup = context.new_page()
    popup.set_viewport_size({"width": 360, "height": 600})
    popup.goto(f"chrome-extension://{ext_id}/popup.html")
    wait_for_card(popup)
    card = popup.locator("#task-card")
    assert card.get_attribute("data-state") == "question", card.inner_text()
    open_button = popup.locator(".flag-open")
    assert open_button.is_visible() and open_button.inner_text() == "Report"
    SHOTS.mkdir(parents=True, exist_ok=True)
    popup.screenshot(path=str(SHOTS / "popup-report-button.png"), full_page=True)

    open_button.focus()
    popup.keyboard.press("Enter")
    assert open_button.get_attribute("aria-expanded") == "true"
    reasons = popup.locator(".flag-panel button.reason")
    assert reasons.count() == 7  # the report plugin's reasons, from its action
    popup.keyboard.press("Escape")  # closes, back on the button
    assert popup.locator(".flag-panel").is_hidden()
    assert popup.evaluate("() => document.activeElement.classList.contains('flag-open')")
    popup.keyboard.press("Enter")
    popup.screenshot(path=str(SHOTS / "popup-report-reasons.png"), full_page=True)
    popup.locator(".flag-panel button.reason[data-reason='other']").click()  # the server wants a note for it
    popup.wait_for_function("() => document.querySelector('.flag-error').textContent !== ''")
    assert "note" in popup.locator(".flag-error").inner_text()
    assert card.get_attribute("data-state") == "question"  # nothing lost: still on the same picture
    spam = popup.locator(".flag-panel button.reason[data-reason='spam']")
    spam.focus()
    popup.keyboard.press("Enter")
    popup.wait_for_function("() => document.querySelector('#task-card .confirmation').textContent !== ''")
    wait_for_card(popup)
    assert "moderator" in popup.locator(".confirmation").inner_text()
    assert card.get_attribute("data-state") == "empty", card.inner_text()  # the only picture left the reporter's tasks
    popup.screenshot(path=str(SHOTS / "popup-report-sent.png"), full_page=True)
    popup.close()

    reporter = ext_token(sw, server.url)
    status, _ = api_call("GET", f"{server.url}/api/v1/tasks/next?kind=validate", token=reporter)
    assert status == 204
    subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mia", "--role", "moderator", "--data-dir",
                    str(server.data_dir)], input=f"{PASSWORD}\n".encode(), check=True, capture_output=True)
    status, session = api_call("POST", f"{server.url}/api/v1/sessions",
                               body=json.dumps({"username": "mia", "password": PASSWORD}).encode(),
                               content_type="application/json")
    assert status == 201, session
    status, queue = api_call("GET", f"{server.url}/api/v1/moderation/queue", token=session["token"])
    assert status == 200, queue
    item = next(item for item in queue["items"] if item["image"]["id"] == image_id)
    assert [report["reason"] for report in item["reports"]] == ["spam"]
