"""The extension claims its own token: donate and vote anonymously through the extension, sign up from its options
page with "Keep what this browser did" ticked, and the account's token (the one the extension now keeps) shows those
contributions on GET /api/v1/me; log out revokes it."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page

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

PASSWORD = "plum-harbor-quietly-77"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("im-ext-account"), "validate")
    yield srv
    srv.stop()


def vote_in_popup(browser: ExtensionBrowser, server: Server) -> str:  # noqa: F811
    """Someone else donates a labelled picture; the extension's popup answers its question with "y"."""
    context, _, ext_id = browser
    body, ctype = multipart([("image", ("q.jpg", picture("JPEG", (240, 180), 77), "image/jpeg")),
                             ("label", server.a_catalog_label())])
    status, donated = api_call("POST", server.url + "/api/v1/images", token=server.new_token(), body=body,
                               content_type=ctype)
    assert status == 201, donated
    popup = context.new_page()
    popup.goto(f"chrome-extension://{ext_id}/popup.html")
    card = popup.locator("#task-card")
    popup.wait_for_function("() => ['question', 'empty', 'error', 'unreachable'].includes("
                            "document.querySelector('#task-card').dataset.state)")
    assert card.get_attribute("data-state") == "question", card.inner_text()
    image_label_id = card.get_attribute("data-image-label-id")
    popup.keyboard.press("y")
    deadline = time.monotonic() + 10
    while True:
        _, image_label = api_call("GET", f"{server.url}/api/v1/image-labels/{image_label_id}")
        if image_label["votes"]["yes"] == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert image_label["votes"]["yes"] == 1, image_label
    popup.close()
    return image_label_id


def test_sign_up_from_the_options_page_claims_the_extensions_token(  # noqa: F811
        browser: ExtensionBrowser, server: Server, page: Page) -> None:  # noqa: F811
    context, sw, ext_id = browser
    use_server(sw, server.url)
    sw.evaluate("async () => chrome.storage.local.remove('identities')")  # a fresh anonymous identity
    donated = menu_click(sw, page, "donate", page.eval_on_selector("#panel", "el => el.src"))
    assert donated["ok"] and donated["status"] == "donated", donated
    vote_in_popup(browser, server)
    anonymous = ext_token(sw, server.url)
    status, before = api_call("GET", server.url + "/api/v1/me", token=anonymous)
    assert status == 200 and "user" not in before and before["counts"]["image.donate"] == 1, before

    options = context.new_page()
    options.goto(f"chrome-extension://{ext_id}/options.html")
    assert options.is_checked("#account-claim")  # "Keep what this browser did" is ticked by default
    options.fill("#account-name", "ext-user")
    options.fill("#account-password", "short")
    options.press("#account-password", "Enter")  # a refused sign-up says why and changes nothing
    options.locator("#account-state.error").wait_for()
    assert "12" in options.locator("#account-state").inner_text()
    assert ext_token(sw, server.url) == anonymous
    options.fill("#account-password", PASSWORD)
    options.click("#sign-up")
    options.locator("#account-who").wait_for()
    assert options.locator("#account-who").inner_text() == "Logged in as ext-user."
    assert options.locator("#account-form").is_hidden()

    token = ext_token(sw, server.url)
    assert token != anonymous
    status, me = api_call("GET", server.url + "/api/v1/me", token=token)
    assert status == 200 and me["user"] == {"name": "ext-user", "roles": ["contributor"]}, me
    assert me["client_id"] == before["client_id"]  # the same contributor: its history came along
    assert me["counts"]["image.donate"] == 1 and me["counts"]["validate.vote"] == 1, me
    assert api_call("GET", server.url + "/api/v1/me", token=anonymous)[0] == 401  # the claimed token is spent

    options.reload()  # who is logged in survives the page
    options.locator("#account-who").wait_for()
    options.click("#log-out")
    options.locator("#account-form").wait_for()
    assert api_call("GET", server.url + "/api/v1/me", token=token)[0] == 401
    assert sw.evaluate("async (u) => ((await chrome.storage.local.get('identities')).identities || {})[u] ?? null",
                       server.url) is None

    options.fill("#account-name", "ext-user")
    options.fill("#account-password", PASSWORD)
    options.click("#log-in")  # logging in again on the extension: the account's history, a new session token
    options.locator("#account-who").wait_for()
    status, again = api_call("GET", server.url + "/api/v1/me", token=ext_token(sw, server.url))
    assert status == 200 and again["client_id"] == me["client_id"] and again["counts"] == me["counts"], again
    options.close()
