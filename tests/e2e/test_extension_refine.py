"""The extension with validate, annotate and refine: the popup offers a switch between its kinds of questions, and
a refine question (one outlined dog's colour, its choices from the task) is answered with a number key."""
from __future__ import annotations

import json
import sys
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

SHOTS = Path("/tmp/refine-shots")
STATES = "['question', 'empty', 'error', 'unreachable'].includes(document.querySelector('#task-card').dataset.state)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("im-refine"), "validate annotate refine")
    yield srv
    srv.stop()


def test_popup_asks_a_refine_question(browser: ExtensionBrowser, server: Server) -> None:  # noqa: F811
    context, sw, ext_id = browser
    use_server(sw, server.url)
    donor = server.new_token()
    body, ctype = multipart([("image", ("p.jpg", picture("JPEG", (240, 180), 91), "image/jpeg")), ("label", "dog")])
    status, donated = api_call("POST", server.url + "/api/v1/images", token=donor, body=body, content_type=ctype)
    assert status == 201, donated
    label_id = donated["image"]["labels"][0]["id"]
    shapes = {"shapes": [{"type": "rect", "x": 20, "y": 20, "width": 100, "height": 80}]}
    status, _ = api_call("POST", f"{server.url}/api/v1/image-labels/{label_id}/annotations", token=donor,
                         body=json.dumps(shapes).encode(), content_type="application/json")
    assert status == 201

    popup = context.new_page()
    popup.set_viewport_size({"width": 400, "height": 640})
    popup.goto(f"chrome-extension://{ext_id}/popup.html")
    card = popup.locator("#task-card")
    kinds = popup.locator("#task-kinds button")
    popup.wait_for_function(f"() => {STATES}")
    assert [kinds.nth(i).inner_text() for i in range(kinds.count())] == ["Validate", "Refine"]
    assert kinds.nth(0).get_attribute("aria-pressed") == "true"
    kinds.nth(1).click()
    popup.wait_for_function("() => document.querySelector('#task-kinds button[aria-pressed=true]').dataset.kind"
                            f" === 'refine' && {STATES}")
    assert card.get_attribute("data-state") == "question", card.inner_text()
    subject = card.get_attribute("data-subject")
    assert subject.startswith("shape:")
    assert popup.locator(".question").inner_text() == "What color is this dog in the outline?"
    assert popup.locator("svg.outline rect").count() == 1
    votes = popup.locator(".votes button.vote")
    assert votes.count() == 6 and votes.nth(1).inner_text().split() == ["brown", "2"]
    SHOTS.mkdir(exist_ok=True)
    popup.screenshot(path=str(SHOTS / "extension-popup-refine.png"))
    popup.keyboard.press("2")
    popup.wait_for_function("(old) => { const card = document.querySelector('#task-card');"
                            " return ['empty', 'error', 'unreachable'].includes(card.dataset.state) ||"
                            " (card.dataset.state === 'question' && card.dataset.subject !== old); }", arg=subject)
    assert card.get_attribute("data-state") == "question", card.inner_text()
    assert card.get_attribute("data-subject") == f"image_label:{label_id}"  # then the image label itself
    assert popup.locator(".question").inner_text() == "What color is this dog?"
    assert popup.locator("svg.outline rect").count() == 0
    token = ext_token(sw, server.url)
    status, summary = api_call("GET", f"{server.url}/api/v1/shapes/{subject.split(':')[1]}/properties", token=token)
    assert status == 200 and summary["properties"]["color"]["mine"] == "brown", summary
    popup.close()
