"""End to end: the real extension in real Chromium against a real `imagemonkey serve`.

Chromium is driven by Playwright (never `playwright install`: the system's
/usr/bin/chromium is used). The extension is loaded unpacked from the files
that `extension/tools/pack.py` would ship. Image pages come from a tiny
http.server on another port of 127.0.0.1, which the manifest's host
permissions cover, so no permission prompt is needed.

Skipped only when /usr/bin/chromium is missing and $CI is unset; in CI they run.
"""

from __future__ import annotations

import base64
import http.server
import io
import json
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Worker

from imagemonkey.liveserver import LiveServer, free_port

ExtensionBrowser = tuple[BrowserContext, Worker, str]  # the context, the extension's service worker, its id

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "extension"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is not installed (set CI=1 to make this a failure instead of a skip)",
    ),
]


# ----------------------------------------------------------------- helpers
def api_call(
    method: str, url: str, *, token: str | None = None, body: bytes | None = None, content_type: str | None = None
) -> tuple[int, dict | None]:
    req = urllib.request.Request(url, data=body, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            raw = res.read()
            return res.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw)
        except ValueError:
            return err.code, {"raw": raw.decode("utf-8", "replace")}


def multipart(fields: list[tuple[str, str | tuple[str, bytes, str]]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f"--{boundary}\r\n".encode())
        if isinstance(value, tuple):
            filename, data, ctype = value
            out.write(
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n".encode()
            )
            out.write(data)
        else:
            out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode())
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def picture(fmt: str, size: tuple[int, int], seed: int) -> bytes:
    """A distinct photo-like picture (Pillow ships with the server)."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    img = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(25):
        x0, y0 = rnd.randrange(size[0]), rnd.randrange(size[1])
        box = (x0, y0, x0 + rnd.randrange(4, size[0]), y0 + rnd.randrange(4, size[1]))
        draw.ellipse(box, fill=tuple(rnd.randrange(256) for _ in range(3)))
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


class Server(LiveServer):
    """`python -m imagemonkey serve` on a free port with its own data folder, and what the tests ask of it."""

    def new_token(self) -> str:
        status, body = api_call("POST", self.url + "/api/v1/clients", body=b"{}", content_type="application/json")
        assert status == 201, body
        return body["token"]

    def a_catalog_label(self) -> str:
        status, body = api_call("GET", self.url + "/api/v1/labels")
        assert status == 200 and body["labels"], f"the server has no label catalog: {body}"
        names = [label["name"] for label in body["labels"]]
        return next((n for n in names if len(n) >= 3 and n.isalpha()), names[0])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("im-validate"), "validate")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory):
    srv = Server(tmp_path_factory.mktemp("im-plain"), "")
    yield srv
    srv.stop()


PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Pictures</title>
<style>img {{ display: block; margin: 8px; }} * {{ font-size: 40px !important; color: red !important; }}</style></head>
<body><h1>Some pictures</h1>
<img id="jpeg" src="/photo.jpg" width="320" height="240" alt="a photo">
<img id="datapng" src="data:image/png;base64,{datapng}" alt="inline png">
<img id="srcset" src="/fallback.jpg" srcset="/small.jpg 200w, /large.jpg 800w" sizes="800px" alt="responsive">
<img id="svg" src="/drawing.svg" width="100" height="100" alt="a drawing">
<img id="tiny" src="/tiny.png" alt="tiny">
<img id="blob" alt="from a blob">
<img id="panel" src="/panel.jpg" alt="for the panel">
<img id="escape" src="/escape.jpg" alt="for escape">
<script>
  fetch("/blob-source.png").then(r => r.blob()).then(b => {{
    const img = document.getElementById("blob");
    img.onload = () => document.body.dataset.ready = "1";
    img.src = URL.createObjectURL(b);
  }});
  document.addEventListener("keydown", (e) => {{ window.pageKeys = (window.pageKeys || 0) + 1; }});
</script></body></html>"""

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<circle cx="50" cy="50" r="40" fill="orange"/></svg>'
)


@pytest.fixture(scope="module")
def site():
    files = {
        "/photo.jpg": (picture("JPEG", (320, 240), 1), "image/jpeg"),
        "/fallback.jpg": (picture("JPEG", (200, 150), 2), "image/jpeg"),
        "/small.jpg": (picture("JPEG", (200, 150), 3), "image/jpeg"),
        "/large.jpg": (picture("JPEG", (800, 600), 4), "image/jpeg"),
        "/drawing.svg": (SVG, "image/svg+xml"),
        "/tiny.png": (picture("PNG", (16, 16), 5), "image/png"),
        "/blob-source.png": (picture("PNG", (120, 90), 6), "image/png"),
        "/panel.jpg": (picture("JPEG", (300, 200), 7), "image/jpeg"),
        "/escape.jpg": (picture("JPEG", (300, 200), 8), "image/jpeg"),
    }
    datapng = base64.b64encode(picture("PNG", (64, 64), 9)).decode()
    files["/index.html"] = (PAGE.format(datapng=datapng).encode(), "text/html; charset=utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body, ctype = files.get(self.path.split("?")[0], (None, None))
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory):
    """The extension as shipped to Chromium (what pack.py puts in its zip: the service worker background)."""
    sys.path.insert(0, str(EXTENSION / "tools"))
    try:
        import pack
    finally:
        sys.path.pop(0)
    return pack.unpack(tmp_path_factory.mktemp("ext") / "imagemonkey", "chromium")


@pytest.fixture(scope="module")
def browser(unpacked: Path, tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=CHROMIUM,
            headless=False,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--disable-extensions-except={unpacked}",
                f"--load-extension={unpacked}",
            ],
        )
        workers = context.service_workers
        sw = workers[0] if workers else context.wait_for_event("serviceworker", timeout=30_000)
        ext_id = sw.url.split("/")[2]
        yield context, sw, ext_id
        context.close()


def use_server(sw: Worker, url: str) -> list[dict]:
    """Point the extension at a server; returns the menu items built from it."""
    return sw.evaluate(
        """async (url) => {
            await chrome.storage.local.set({ serverUrl: url });
            await globalThis.imagemonkeyRefreshMenus();
            return (await globalThis.imagemonkeyMenuState()).menuItems;
        }""",
        url,
    )


def ext_token(sw: Worker, server_url: str) -> str:
    return sw.evaluate("async (u) => (await chrome.storage.local.get('identities')).identities[u].token", server_url)


def menu_click(sw: Worker, page: Page, menu_item_id: str, src_url: str) -> dict:
    return sw.evaluate(
        """async ([id, srcUrl, pageUrl]) => {
            const [tab] = await chrome.tabs.query({ url: pageUrl });
            return globalThis.imagemonkeyMenuClick({ menuItemId: id, srcUrl, pageUrl, frameId: 0 }, tab);
        }""",
        [menu_item_id, src_url, page.url],
    )


@pytest.fixture()
def page(browser: ExtensionBrowser, site: str):
    context, _, _ = browser
    pg = context.new_page()
    pg.goto(site + "/index.html")
    pg.wait_for_function("document.body.dataset.ready === '1'")
    yield pg
    pg.close()


# ----------------------------------------------------------------- tests
def test_menus_follow_the_server(browser: ExtensionBrowser, server: Server, plain_server: Server):
    _, sw, _ = browser
    with_validate = {item["id"]: item for item in use_server(sw, server.url)}
    assert {"donate", "label-donate", "validate"} <= set(with_validate)
    assert with_validate["donate"]["contexts"] == ["image"]
    assert with_validate["donate"]["title"] == "Donate to ImageMonkey"
    without = {item["id"] for item in use_server(sw, plain_server.url)}
    assert {"donate", "label-donate"} <= without
    assert "validate" not in without


def test_one_click_donate_of_every_kind_of_image(browser: ExtensionBrowser, server: Server, page: Page, site: str):
    _, sw, _ = browser
    use_server(sw, server.url)
    # A stale token is replaced on the server's 401 and the request retried.
    sw.evaluate(
        "async (u) => chrome.storage.local.set({ identities: { [u]: { token: 'not-a-real-token' } } })", server.url
    )

    names = ("jpeg", "datapng", "srcset", "blob", "svg", "tiny")
    src = {name: page.eval_on_selector(f"#{name}", "el => el.src") for name in names}
    results = {name: menu_click(sw, page, "donate", url) for name, url in src.items()}

    for name in ("jpeg", "datapng", "srcset", "blob"):
        assert results[name]["ok"], (name, results[name])
        assert results[name]["status"] == "donated", (name, results[name])
    assert results["svg"]["ok"] is False and results["svg"]["code"] == "svg", results["svg"]
    assert "SVG" in results["svg"]["message"]
    assert results["tiny"]["ok"] is False and results["tiny"]["code"] == "too_small", results["tiny"]
    assert "16×16" in results["tiny"]["message"]

    token = ext_token(sw, server.url)
    assert token != "not-a-real-token"
    for name in ("jpeg", "datapng", "srcset", "blob"):
        status, image = api_call("GET", f"{server.url}/api/v1/images/{results[name]['image']['id']}", token=token)
        assert status == 200, image
        assert image["page_url"] == page.url, (name, image)
    status, image = api_call("GET", f"{server.url}/api/v1/images/{results['jpeg']['image']['id']}", token=token)
    assert image["source_url"] == site + "/photo.jpg"
    assert (image["width"], image["height"]) == (320, 240)
    status, image = api_call("GET", f"{server.url}/api/v1/images/{results['srcset']['image']['id']}", token=token)
    assert image["source_url"] == site + "/large.jpg", "the file actually shown (currentSrc), not the fallback src"
    assert (image["width"], image["height"]) == (800, 600)

    # The result is shown where the user is: a toast in the page.
    toast = page.locator("imagemonkey-ui .toast")
    toast.wait_for()
    assert toast.get_attribute("data-state") in {"done", "error"}

    # The same bytes again: already in the dataset.
    again = menu_click(sw, page, "donate", src["jpeg"])
    assert again["ok"] and again["status"] == "duplicate"
    assert again["image"]["id"] == results["jpeg"]["image"]["id"]


def test_label_panel_by_keyboard(browser: ExtensionBrowser, server: Server, page: Page, site: str):
    _, sw, _ = browser
    use_server(sw, server.url)
    label = server.a_catalog_label()
    result = menu_click(sw, page, "label-donate", site + "/panel.jpg")
    assert result == {"ok": True, "status": "panel"}

    panel = page.locator("imagemonkey-ui .panel")
    panel.wait_for()
    field = panel.locator("input[role=combobox]")
    assert field.evaluate("el => el.getRootNode().activeElement === el"), "the label field has the focus"
    # The page's styles (40px red everything) do not reach into the panel.
    assert field.evaluate("el => getComputedStyle(el).fontSize") == "14px"

    field.press_sequentially("zzqx")
    field.press("Enter")  # a free-text label becomes a chip ...
    assert panel.locator(".chips li").count() == 1
    field.press("Backspace")  # ... and Backspace on an empty field removes the last chip
    assert panel.locator(".chips li").count() == 0

    field.press_sequentially(label[:3])
    option = panel.locator(f"[role=option][data-name='{label}']")
    option.wait_for()
    for _ in range(panel.locator("[role=option]").count()):
        if option.get_attribute("aria-selected") == "true":
            break
        field.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    field.press("Enter")
    assert panel.locator(".chips li").all_inner_texts()[0].startswith(label)
    page_keys = page.evaluate("window.pageKeys || 0")

    field.press("Control+Enter")
    page.wait_for_function(
        "() => ['done', 'error'].includes("
        "document.querySelector('imagemonkey-ui').shadowRoot.querySelector('.panel').dataset.state)"
    )
    assert panel.get_attribute("data-state") == "done", panel.locator(".status").inner_text()
    assert page.evaluate("window.pageKeys || 0") == page_keys, "keys typed in the panel do not reach the page"
    image_id = panel.get_attribute("data-image-id")

    status, image = api_call("GET", f"{server.url}/api/v1/images/{image_id}", token=ext_token(sw, server.url))
    assert status == 200, image
    assert label in [item["label"] for item in image["labels"]]
    assert image["source_url"] == site + "/panel.jpg"
    assert image["page_url"] == page.url

    # Esc closes the panel.
    menu_click(sw, page, "label-donate", site + "/escape.jpg")
    panel.locator("input[role=combobox]").wait_for()
    page.keyboard.press("Escape")
    panel.wait_for(state="detached")


def test_popup_validation_vote(browser: ExtensionBrowser, server: Server):
    context, sw, ext_id = browser
    use_server(sw, server.url)
    # Someone else donates a labeled picture, so there is something to validate.
    other = server.new_token()
    label = server.a_catalog_label()
    body, ctype = multipart([("image", ("p.jpg", picture("JPEG", (240, 180), 42), "image/jpeg")), ("label", label)])
    status, donated = api_call("POST", server.url + "/api/v1/images", token=other, body=body, content_type=ctype)
    assert status in (200, 201), donated

    popup = context.new_page()
    popup.goto(f"chrome-extension://{ext_id}/popup.html")
    card = popup.locator("#task-card")
    popup.wait_for_function(
        "() => ['question', 'empty', 'error', 'unreachable'].includes("
        "document.querySelector('#task-card').dataset.state)"
    )
    assert card.get_attribute("data-state") == "question", card.inner_text()
    question = popup.locator(".question").inner_text()
    assert question.endswith("?")
    image_label_id = card.get_attribute("data-image-label-id")
    popup.keyboard.press("y")
    popup.wait_for_function(
        "(id) => { const card = document.querySelector('#task-card');"
        " return card.dataset.imageLabelId !== id || card.dataset.state !== 'question'; }",
        arg=image_label_id,
    )
    deadline = time.monotonic() + 10  # votes are counted right after the answer, by the server's settler
    while True:
        status, image_label = api_call("GET", f"{server.url}/api/v1/image-labels/{image_label_id}")
        assert status == 200, image_label
        if image_label["settlement"] == "settled" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert image_label["votes"]["yes"] == 1, image_label
    popup.close()


def test_popup_without_validate_plugin(browser: ExtensionBrowser, plain_server: Server):
    context, sw, ext_id = browser
    use_server(sw, plain_server.url)
    popup = context.new_page()
    popup.goto(f"chrome-extension://{ext_id}/popup.html")
    popup.locator("#task-off").wait_for()
    assert popup.locator("#task").count() == 0
    assert popup.locator("#site-link").get_attribute("href") == plain_server.url + "/"
    popup.close()


def test_popup_calm_when_server_is_down(browser: ExtensionBrowser):
    context, sw, ext_id = browser
    use_server(sw, f"http://127.0.0.1:{free_port()}")
    popup = context.new_page()
    popup.goto(f"chrome-extension://{ext_id}/popup.html")
    box = popup.locator("#server-state[data-state=unreachable]")
    box.wait_for()
    assert "Can't reach" in box.inner_text()
    popup.close()


def test_options_connection_test_shows_features(browser: ExtensionBrowser, server: Server):
    context, sw, ext_id = browser
    options = context.new_page()
    options.goto(f"chrome-extension://{ext_id}/options.html")
    options.fill("#server-url", server.url)
    options.click("#test-connection")
    options.locator("#test-result [data-feature=validate]").wait_for()
    status, info = api_call("GET", server.url + "/api/v1/info")
    text = options.locator("#test-result").inner_text()
    assert info["name"] in text and info["version"] in text
    options.close()
