"""The extension with validate and annotate: the popup asks an outline question, draws the outline and records the
answer (it used to crash: outline tasks have no image label); a one-click donation of a known picture with no
labels no longer says that labels were added."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extension_e2e import (  # noqa: E402, F401
    ExtensionBrowser,
    Server,
    api_call,
    browser,
    ext_token,
    menu_click,
    multipart,
    page,
    picture,
    pytestmark,
    site,
    unpacked,
    use_server,
)
from test_validate_page import settled  # noqa: E402

SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "website"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("im-outline"), "validate annotate")
    yield srv
    srv.stop()


def test_popup_answers_an_outline_question(browser: ExtensionBrowser, server: Server) -> None:  # noqa: F811
    context, sw, ext_id = browser
    use_server(sw, server.url)
    donor = server.new_token()
    body, ctype = multipart([("image", ("p.jpg", picture("JPEG", (240, 180), 77), "image/jpeg")), ("label", "dog")])
    status, donated = api_call("POST", server.url + "/api/v1/images", token=donor, body=body, content_type=ctype)
    assert status == 201, donated
    label_id = donated["image"]["labels"][0]["id"]
    for _ in range(12):  # settle the label itself, so the open question is the outline
        api_call("POST", f"{server.url}/api/v1/image-labels/{label_id}/votes", token=server.new_token(),
                 body=b'{"vote": "yes"}', content_type="application/json")
        if settled(server.url, label_id)["state"] == "verified":  # votes are counted after the answer
            break
    shapes = {"shapes": [{"type": "rect", "x": 20, "y": 20, "width": 100, "height": 80}]}
    status, annotation = api_call("POST", f"{server.url}/api/v1/image-labels/{label_id}/annotations", token=donor,
                                  body=json.dumps(shapes).encode(), content_type="application/json")
    assert status == 201, annotation
    annotation = annotation["annotation"]

    popup = context.new_page()
    popup.goto(f"chrome-extension://{ext_id}/popup.html")
    card = popup.locator("#task-card")
    popup.wait_for_function("() => ['question', 'empty', 'error', 'unreachable'].includes("
                            "document.querySelector('#task-card').dataset.state)")
    assert card.get_attribute("data-state") == "question", card.inner_text()
    assert popup.locator(".question").inner_text() == "Is this outline of a dog right?"
    assert card.get_attribute("data-subject") == f"annotation:{annotation['id']}"
    assert popup.locator("svg.outline rect").count() == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    popup.screenshot(path=str(SHOTS / "extension-popup-outline.png"))
    popup.keyboard.press("y")
    popup.wait_for_function("(old) => { const card = document.querySelector('#task-card');"
                            " return ['empty', 'error', 'unreachable'].includes(card.dataset.state) ||"
                            " (card.dataset.state === 'question' && card.dataset.subject !== old); }",
                            arg=f"annotation:{annotation['id']}")
    assert card.get_attribute("data-state") in ("question", "empty"), card.inner_text()
    token = ext_token(sw, server.url)
    status, history = api_call("GET", f"{server.url}/api/v1/contributors/me/contributions", token=token)
    assert [entry["target_id"] for entry in history["contributions"] if entry["kind"] == "validate.vote"] == \
        [f"annotation:{annotation['id']}"]
    popup.close()


def test_known_picture_without_labels_says_nothing_was_added(browser: ExtensionBrowser, server: Server,  # noqa: F811
                                                             page) -> None:  # noqa: ANN001, F811
    _, sw, _ = browser
    use_server(sw, server.url)
    source = page.eval_on_selector("#escape", "el => el.src")
    assert menu_click(sw, page, "donate", source)["status"] == "donated"
    again = menu_click(sw, page, "donate", source)
    assert again["status"] == "duplicate"
    message = page.locator("imagemonkey-ui .toast .msg")
    message.last.wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('imagemonkey-ui')].some((host) => "
                           "(host.shadowRoot || host).textContent.includes('Nothing new was added'))")
