"""End to end in Firefox: the extension's Firefox package in real Firefox ESR against a real `imagemonkey serve`.

Firefox is driven by Marionette (tests/e2e/firefox_support.py); the add-on installed is the zip that
``extension/tools/pack.py --browser firefox`` ships. The servers and the page of pictures are those of the
Chromium tests (test_extension_e2e.py); the context menu is the browser's own, opened with a right click and
its item chosen, so Firefox calls the background's listener as it does for a user.

Skipped without firefox-esr unless $CI is set; in CI they fail instead.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "playground"))
from firefox_support import Firefox, launched_firefox  # noqa: E402
from playground_support import pictures  # noqa: E402
from test_extension_e2e import Server, api_call, multipart, picture, server, site  # noqa: E402, F401
from test_playground_page import call, donate, train  # noqa: E402

from imagemonkey.liveserver import LiveServer  # noqa: E402

try:
    from marionette_driver.by import By
    from marionette_driver.keys import Keys
except ImportError:  # the firefox fixture skips the tests with the reason (or fails them when CI is set)
    By = Keys = None

pytestmark = [pytest.mark.e2e]
REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or tempfile.gettempdir()) / "imagemonkey-shots" / "firefox"
IN_SHADOW = "document.querySelector('imagemonkey-ui')?.shadowRoot?.querySelector({selector})"


def shadow(selector: str) -> str:
    """A JS expression for the element ``selector`` inside the extension's in-page UI (null until it is there)."""
    return IN_SHADOW.format(selector=json.dumps(selector))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Firefox zip, as `make extension` builds it."""
    sys.path.insert(0, str(REPO / "extension" / "tools"))
    try:
        import pack
    finally:
        sys.path.pop(0)
    return pack.pack(tmp_path_factory.mktemp("dist"), browser="firefox")


@pytest.fixture(scope="module")
def firefox(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Firefox]:
    with launched_firefox(tmp_path_factory.mktemp("firefox"), package) as browser:
        yield browser


@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A live server with the playground, 28 donated pictures, and a moderator's token (to train)."""
    data_dir = tmp_path_factory.mktemp("im-playground") / "data"
    live = LiveServer(data_dir, plugins="playground")
    try:
        subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator",
                        "--data-dir", str(data_dir), "--plugins", ""], input=b"long-enough-secret\n",
                       check=True, capture_output=True)
        moderator = call(live.url, "POST", "/api/v1/sessions",
                         body=json.dumps({"username": "mod", "password": "long-enough-secret"}).encode())["token"]
        donor = call(live.url, "POST", "/api/v1/clients")["token"]
        for data, labels in pictures()[:28]:
            donate(live.url, donor, data, labels)
        yield live.url, moderator
    finally:
        live.stop()


def test_the_firefox_package_runs_its_background_as_a_script(firefox: Firefox) -> None:
    manifest = firefox.in_extension("return browser.runtime.getManifest()")
    assert manifest["version"] == (REPO / "core" / "VERSION").read_text().strip()
    assert manifest["background"].get("scripts") == [firefox.extension_url("background.js")]
    assert manifest["background"]["service_worker"] is None
    assert firefox.manifest_warnings() == []
    assert firefox.in_extension("return typeof (await browser.runtime.getBackgroundPage()).imagemonkeyMenuClick") \
        == "function"


def test_the_checked_in_folder_loads_too(tmp_path: Path) -> None:
    """extension/ as it is in git (both background keys), as the README's "Load Temporary Add-on…" loads it."""
    with launched_firefox(tmp_path, REPO / "extension") as other:
        assert other.manifest_warnings() == []
        assert other.in_extension("return typeof (await browser.runtime.getBackgroundPage()).imagemonkeyMenuClick") \
            == "function"


def test_options_test_connection(firefox: Firefox, server: Server) -> None:  # noqa: F811
    m = firefox.marionette
    firefox.open_tab(firefox.extension_url("options.html"))
    try:
        field = m.find_element(By.CSS_SELECTOR, "#server-url")
        field.clear()
        field.send_keys(server.url)
        m.find_element(By.CSS_SELECTOR, "#test-connection").click()
        firefox.wait_for("document.querySelector('#test-result [data-feature=validate]')")
        status, info = api_call("GET", server.url + "/api/v1/info")
        text = m.find_element(By.CSS_SELECTOR, "#test-result").text
        assert info["name"] in text and info["version"] in text
        for width in (1280, 390):
            firefox.screenshot(SHOTS / f"options-{width}.png", width)
    finally:
        firefox.close_tab()


def test_popup_question_and_vote(firefox: Firefox, server: Server) -> None:  # noqa: F811
    firefox.use_server(server.url)
    other = server.new_token()  # someone else donates a labeled picture: something to validate
    body, ctype = multipart([("image", ("p.jpg", picture("JPEG", (240, 180), 142), "image/jpeg")),
                             ("label", server.a_catalog_label())])
    status, donated = api_call("POST", server.url + "/api/v1/images", token=other, body=body, content_type=ctype)
    assert status in (200, 201), donated

    m = firefox.marionette
    firefox.open_tab(firefox.extension_url("popup.html"))
    try:
        state = firefox.wait_for("['question', 'empty', 'error', 'unreachable'].includes("
                                 "document.querySelector('#task-card').dataset.state) && "
                                 "document.querySelector('#task-card').dataset.state")
        card = m.find_element(By.CSS_SELECTOR, "#task-card")
        assert state == "question", card.text
        assert m.find_element(By.CSS_SELECTOR, ".question").text.endswith("?")
        for width in (1280, 390):
            firefox.screenshot(SHOTS / f"popup-{width}.png", width)
        image_label_id = card.get_attribute("data-image-label-id")
        firefox.press("y")
        firefox.wait_for("document.querySelector('#task-card').dataset.imageLabelId !== args[0] || "
                         "document.querySelector('#task-card').dataset.state !== 'question'", image_label_id)
    finally:
        firefox.close_tab()
    deadline = time.monotonic() + 10  # the server's settler counts the vote right after the answer
    while True:
        status, image_label = api_call("GET", f"{server.url}/api/v1/image-labels/{image_label_id}")
        assert status == 200, image_label
        if image_label["settlement"] == "settled" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert image_label["votes"]["yes"] == 1, image_label


def test_context_menu_donates_and_labels(firefox: Firefox, server: Server, site: str) -> None:  # noqa: F811
    items = {item["id"]: item for item in firefox.use_server(server.url)}
    m = firefox.marionette
    firefox.open_tab(site + "/index.html")
    try:
        firefox.wait_for("document.body.dataset.ready === '1'")
        page_url = m.get_url()
        shown = firefox.open_context_menu(m.find_element(By.ID, "jpeg"))
        assert shown == [items["donate"]["title"], items["label-donate"]["title"]]

        # One click: "Donate to ImageMonkey" in the browser's menu.
        assert firefox.choose("donate") == "Donate to ImageMonkey"
        state = firefox.wait_for(f"['done', 'error'].includes({shadow('.toast')}?.dataset.state) && "
                                 f"{shadow('.toast')}.dataset.state")
        assert state == "done", m.execute_script(f"return {shadow('.toast')}.textContent", sandbox=None)
        token = firefox.token(server.url)
        status, log = api_call("GET", f"{server.url}/api/v1/contributors/me/contributions?limit=5", token=token)
        assert status == 200, log
        donation = next(entry for entry in log["contributions"] if entry["kind"] == "image.donate")
        status, image = api_call("GET", f"{server.url}/api/v1/images/{donation['target_id']}", token=token)
        assert status == 200, image
        assert image["source_url"] == site + "/photo.jpg" and image["page_url"] == page_url
        assert (image["width"], image["height"]) == (320, 240)

        # "Label and donate…": the panel in the page; a label typed, Enter makes it a chip, Ctrl+Enter donates.
        label = server.a_catalog_label()
        firefox.open_context_menu(m.find_element(By.ID, "panel"))
        firefox.choose("label-donate")
        firefox.wait_for(f"{shadow('input[role=combobox]')}")
        host = m.find_element(By.CSS_SELECTOR, "imagemonkey-ui")
        field = host.shadow_root.find_element(By.CSS_SELECTOR, "input[role=combobox]")
        field.send_keys(label)
        firefox.wait_for(f"{shadow(f'[role=option][data-name={json.dumps(label)}]')}")
        firefox.press(Keys.ENTER)
        firefox.wait_for(f"{shadow('.chips li')}")
        firefox.press(Keys.CONTROL, Keys.ENTER)
        state = firefox.wait_for(f"['done', 'error'].includes({shadow('.panel')}?.dataset.state) && "
                                 f"{shadow('.panel')}.dataset.state")
        panel = host.shadow_root.find_element(By.CSS_SELECTOR, ".panel")
        assert state == "done", panel.text
        status, image = api_call("GET", f"{server.url}/api/v1/images/{panel.get_attribute('data-image-id')}",
                                 token=token)
        assert status == 200, image
        assert [item["label"] for item in image["labels"]] == [label]
        assert image["source_url"] == site + "/panel.jpg" and image["page_url"] == page_url
    finally:
        firefox.close_tab()


@pytest.mark.training
def test_prediction_panel(firefox: Firefox, playground: tuple[str, str]) -> None:
    base, moderator = playground
    status, offered = api_call("GET", base + "/api/v1/extension")
    assert status == 200, offered
    action = next(a for a in offered["actions"] if a.get("kind") == "predict")
    assert action["id"] in {item["id"] for item in firefox.use_server(base)}
    data, labels = next(p for p in pictures()[40:] if len(p[1]) == 1)  # held out: never donated, never trained on
    m = firefox.marionette
    firefox.open_tab("about:blank")
    try:
        m.execute_script("document.body.innerHTML = '<img id=\"query\" style=\"width: 256px\" alt=\"q\">';"
                         "document.getElementById('query').src = 'data:image/jpeg;base64,' + arguments[0];",
                         script_args=[base64.b64encode(data).decode()], sandbox=None)
        firefox.wait_for("document.getElementById('query').complete && document.getElementById('query').naturalWidth")
        query = m.find_element(By.ID, "query")
        state = f"{shadow('.panel.predict')}?.dataset.state"

        # Before any model is active: the server's 409 as a calm sentence in the panel.
        firefox.open_context_menu(query)
        assert firefox.choose(action["id"]) == "What does ImageMonkey see?"
        assert firefox.wait_for(f"['error'].includes({state}) && {state}") == "error"
        notice = m.execute_script(f"return {shadow('.panel.predict .notice')}.textContent", sandbox=None)
        assert "model" in notice.lower(), notice
        m.find_element(By.CSS_SELECTOR, "imagemonkey-ui").shadow_root \
            .find_element(By.CSS_SELECTOR, ".panel.predict button.close").click()
        firefox.wait_for(f"!{shadow('.panel.predict')}")

        train(base, moderator)
        firefox.open_context_menu(query)
        firefox.choose(action["id"])
        assert firefox.wait_for(f"['ready', 'error'].includes({state}) && {state}") == "ready"
        panel = m.find_element(By.CSS_SELECTOR, "imagemonkey-ui").shadow_root \
            .find_element(By.CSS_SELECTOR, ".panel.predict")
        bars = panel.find_elements(By.CSS_SELECTOR, ".bars li")
        assert bars and bars[0].get_attribute("data-label") == labels[0], "the model knows a held-out picture"
        picked = [li.get_attribute("data-label") for li in panel.find_elements(By.CSS_SELECTOR, ".bars li.picked")]
        assert labels[0] in picked
        assert "Model version 1" in panel.find_element(By.CSS_SELECTOR, ".model").text
        for width in (1280, 390):
            firefox.screenshot(SHOTS / f"predict-{width}.png", width)

        # "Donate with these labels": donated with exactly the picked labels.
        panel.find_element(By.CSS_SELECTOR, "button.donate").click()
        assert firefox.wait_for(f"['done', 'error'].includes({state}) && {state}") == "done", panel.text
        status, image = api_call("GET", f"{base}/api/v1/images/{panel.get_attribute('data-image-id')}",
                                 token=firefox.token(base))
        assert status == 200, image
        assert sorted(item["label"] for item in image["labels"]) == sorted(picked)
    finally:
        firefox.close_tab()
