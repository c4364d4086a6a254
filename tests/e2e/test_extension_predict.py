"""The extension with the playground: right-click a picture on a page, "What does ImageMonkey see?" shows the active
model's predictions next to it (a calm message before any model is active); "Label and donate…" opens the label
panel with them; "Donate with these labels" donates the picture with the picked labels."""
from __future__ import annotations

import base64
import os
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from playground_support import pictures  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extension_e2e import (  # noqa: E402, F401
    ExtensionBrowser,
    api_call,
    browser,
    ext_token,
    menu_click,
    page,
    pytestmark,
    site,
    unpacked,
    use_server,
)
from test_playground_page import server, train  # noqa: E402, F401

pytestmark = [*pytestmark, pytest.mark.training]
SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "extension-predict"
PANEL = "imagemonkey-ui .panel.predict"
SHADOW_STATE = "() => document.querySelector('imagemonkey-ui').shadowRoot.querySelector('.panel')?.dataset.state"


def show_picture(tab: Page, data: bytes) -> str:
    """Put the picture at the top of the test page (as a data: URL, read like any donated one); its src."""
    return tab.evaluate("""(b64) => new Promise((resolve) => {
        const img = document.createElement("img");
        img.id = "query";
        img.style.width = "256px";
        img.onload = () => resolve(img.src);
        img.src = "data:image/jpeg;base64," + b64;
        document.body.prepend(img);
    })""", base64.b64encode(data).decode())


def wait_for_state(tab: Page, states: tuple[str, ...]) -> str:
    """The predictions panel's state once it is one of ``states``."""
    tab.wait_for_function(f"(states) => states.includes(({SHADOW_STATE})())", arg=list(states))
    return tab.locator(PANEL).get_attribute("data-state")


def test_what_does_imagemonkey_see(browser: ExtensionBrowser, server: tuple[str, str],  # noqa: F811
                                   page: Page) -> None:  # noqa: F811
    _, sw, _ = browser
    base, moderator = server
    use_server(sw, base)
    status, offered = api_call("GET", base + "/api/v1/extension")
    assert status == 200, offered
    action = next(a for a in offered["actions"] if a.get("kind") == "predict")  # by kind, as the extension finds it
    items = {item["id"]: item for item in use_server(sw, base)}
    assert items[action["id"]] == {"id": action["id"], "title": "What does ImageMonkey see?", "contexts": ["image"]}
    data, labels = next(p for p in pictures()[40:] if len(p[1]) == 1)  # held out: never donated, never trained on
    src = show_picture(page, data)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 720})

    # Before any model is active: the server's 409 as a calm sentence in the panel.
    refused = menu_click(sw, page, action["id"], src)
    assert refused["ok"] is False and refused["code"] == "no_model", refused
    assert wait_for_state(page, ("error",)) == "error"
    assert refused["message"] in page.locator(PANEL).inner_text()
    page.screenshot(path=str(SHOTS / "predict-no-model-1280.png"))

    train(base, moderator)
    result = menu_click(sw, page, action["id"], src)
    assert result["ok"] and result["status"] == "predicted", result
    assert result["version"] == 1 and result["modelLine"].startswith("Model version 1 · ")
    assert wait_for_state(page, ("ready",)) == "ready"
    panel = page.locator(PANEL)
    bars = panel.locator(".bars li")
    assert bars.count() == len(result["bars"]) >= 1
    assert bars.first.get_attribute("data-label") == labels[0], "the model knows a held-out picture of its labels"
    picked = panel.locator(".bars li.picked").evaluate_all("els => els.map((el) => el.dataset.label)")
    assert picked == result["labels"] and labels[0] in picked
    assert "Model version 1" in panel.locator(".model").inner_text()
    assert panel.locator("button.donate").evaluate("el => el.getRootNode().activeElement === el")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 720})
        page.wait_for_timeout(100)  # the panel follows the resize
        page.screenshot(path=str(SHOTS / f"predict-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 720})

    # "Label and donate…": the label panel, with the picked labels as chips; Escape closes it.
    panel.locator("button.label").click()
    label_panel = page.locator("imagemonkey-ui .panel:not(.predict)")
    label_panel.locator("input[role=combobox]").wait_for()
    assert label_panel.locator(".chips li").evaluate_all("els => els.map((el) => el.dataset.label)") == picked
    page.keyboard.press("Escape")
    label_panel.wait_for(state="detached")

    # "Donate with these labels": donated with exactly the picked labels.
    menu_click(sw, page, action["id"], src)
    assert wait_for_state(page, ("ready",)) == "ready"
    panel.locator("button.donate").click()
    assert wait_for_state(page, ("done", "error")) == "done", panel.inner_text()
    page.screenshot(path=str(SHOTS / "predict-donated-1280.png"))
    image_id = panel.get_attribute("data-image-id")
    status, image = api_call("GET", f"{base}/api/v1/images/{image_id}", token=ext_token(sw, base))
    assert status == 200, image
    assert sorted(item["label"] for item in image["labels"]) == sorted(picked)
    assert image["page_url"] == page.url
