"""Issue 20's page items in real Chromium: /validate with nothing left shows no picture; /donate clears its labels
after a donation, says what a chip is saved as and errs on the form; /me speaks in words and links what it lists;
/moderate has one key scheme and asks a visitor to log in without calling the API. Screenshots at 1280 and 390 px
go to ``$IMAGEMONKEY_SHOTS/pages`` (a temporary folder without it)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium_support import launched_chromium, page_recording_errors  # noqa: E402
from test_validate_page import call, donate  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "validate"))
from validate_support import picture  # noqa: E402

pytestmark = pytest.mark.e2e
PASSWORD = "long-enough-secret"
SHOTS = Path(os.environ.get("IMAGEMONKEY_SHOTS") or Path(tempfile.gettempdir()) / "imagemonkey-shots") / "pages"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("pages") / "data"
    live = LiveServer(data, plugins="validate report")
    yield live.url, data
    live.stop()


def new_moderator(base: str, data: Path, name: str) -> str:
    """A new moderator account ``name`` (made with the CLI) and its token."""
    subprocess.run([sys.executable, "-m", "imagemonkey", "user", "add", name, "--role", "moderator", "--data-dir",
                    str(data), "--plugins", ""], input=PASSWORD.encode() + b"\n", check=True, capture_output=True)
    login = json.dumps({"username": name, "password": PASSWORD}).encode()
    return call(base, "POST", "/api/v1/sessions", body=login)["token"]


@pytest.fixture(scope="module")
def moderator(server: tuple[str, Path]) -> str:
    """A moderator account's token (user "mod")."""
    return new_moderator(*server, "mod")


def use_token(page: Any, base: str, token: str) -> None:
    """Keep ``token`` in the page's localStorage, as /login (or a first contribution) does."""
    page.goto(base + "/")
    page.evaluate("(token) => localStorage.setItem('imagemonkey.token', token)", token)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


def shoot(page: Any, name: str) -> None:
    """A full-page screenshot of ``page`` as ``name`` under SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def wait_until_public(base: str, token: str, image_id: str) -> None:
    """The server's job consumer screens each donation in the background (report plugin); then it is public."""
    for _ in range(150):
        if call(base, "GET", f"/api/v1/images/{image_id}", token)["status"] == "public":
            return
        time.sleep(0.2)
    raise AssertionError(f"image {image_id} was not screened in 30 s")


def test_validate_with_nothing_left_shows_no_picture(server: tuple[str, Path], browser: Any) -> None:
    from playwright.sync_api import expect

    base, _ = server
    donor = call(base, "POST", "/api/v1/clients")["token"]
    wait_until_public(base, donor, donate(base, donor, 701, "cat")["id"])
    for width in (1280, 390):
        page, errors = page_recording_errors(browser, width)
        page.goto(base + "/validate?label=cat")
        expect(page.locator("#question")).to_have_text("Is there a cat in this picture?")
        expect(page.locator("#picture")).to_be_visible()
        page.keyboard.press("y")  # the only question (each page is a new contributor): nothing is left
        expect(page.locator("#question")).to_contain_text("Nothing left to validate")
        expect(page.locator("#picture")).to_be_hidden()  # not the last picture under the sentence
        expect(page.locator(".validate-buttons")).to_be_hidden()  # nor buttons that answer nothing
        shoot(page, f"validate-done-{width}.png")
        assert errors == []
        page.close()


def test_donate_labels_belong_to_one_donation(server: tuple[str, Path], browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base, _ = server
    paths = []
    for seed in (711, 712):
        paths.append(tmp_path / f"{seed}.jpg")
        paths[-1].write_bytes(picture(seed))
    for width in (1280, 390):
        page, errors = page_recording_errors(browser, width)
        page.goto(base + "/donate")
        results = page.get_by_role("heading", name="Results")
        expect(results).to_be_hidden()  # no empty "Results" before anything was sent
        page.click("#send")
        expect(page.locator("#files-error")).to_have_text("Choose at least one picture.")  # on the form ...
        expect(page.locator("#results li")).to_have_count(0)  # ... not a numbered result
        expect(results).to_be_hidden()
        page.fill("#label-input", "Puppy")
        page.keyboard.press("Enter")
        expect(page.locator("#labels li")).to_have_text(["dog (puppy) ×"])  # the name it is saved as
        shoot(page, f"donate-labels-{width}.png")
        page.set_input_files("#files", str(paths[0 if width == 1280 else 1]))
        expect(page.locator("#files-error")).to_be_hidden()
        page.click("#send")
        expect(page.locator("#results li.new")).to_have_count(1)
        expect(results).to_be_visible()
        expect(page.locator("#labels li")).to_have_count(0)  # cleared with the file picker
        first = page.locator("#results li.new a").get_attribute("href").rsplit("/", 1)[1]
        donor = page.evaluate("localStorage.getItem('imagemonkey.token')")  # a pending picture is its donor's to see
        assert [label["label"] for label in call(base, "GET", f"/api/v1/images/{first}", donor)["labels"]] == ["dog"]
        page.set_input_files("#files", str(paths[0]))
        page.click("#send")
        expect(page.locator("#results li")).to_have_count(2)
        expect(page.locator("#results li").nth(1)).not_to_contain_text("labels now")  # sent with no label
        shoot(page, f"donate-sent-{width}.png")
        assert errors == []
        page.close()


def test_moderate_asks_visitors_to_log_in_without_calling_the_api(server: tuple[str, Path], browser: Any) -> None:
    from playwright.sync_api import expect

    base, _ = server
    contributor = call(base, "POST", "/api/v1/clients")["token"]
    for width, token in ((1280, None), (390, contributor)):
        page, errors = page_recording_errors(browser, width)
        if token:
            use_token(page, base, token)
        calls: list[str] = []
        page.on("request", lambda request: calls.append(request.url) if "/api/" in request.url else None)  # noqa: B023
        page.goto(base + "/moderate")
        link = page.locator("#moderate-status a")
        expect(link).to_have_attribute("href", "/login?next=/moderate")
        expect(page.locator("#moderate-status")).to_contain_text("Moderators only")
        expect(page.locator("#report-filters")).to_be_hidden()  # no filters for a queue they cannot see
        page.wait_for_load_state("networkidle")
        # a stored token is asked who it is, once; nothing else, and nothing at all without one
        assert calls == ([f"{base}/api/v1/me"] if token else []), calls
        shoot(page, f"moderate-visitor-{width}.png")
        assert errors == []
        page.close()


def test_moderate_has_one_key_scheme_and_styled_filters(server: tuple[str, Path], browser: Any,
                                                        moderator: str) -> None:
    from playwright.sync_api import expect

    base, _ = server
    donor, reporter = (call(base, "POST", "/api/v1/clients")["token"] for _ in range(2))
    images = [donate(base, donor, seed, "dog")["id"] for seed in (721, 722, 723)]
    for image_id in images:
        wait_until_public(base, donor, image_id)
        call(base, "POST", f"/api/v1/images/{image_id}/reports", reporter, b'{"reason": "spam"}')
    page, errors = page_recording_errors(browser, 1280)
    use_token(page, base, moderator)
    page.goto(base + "/moderate")
    keys = page.locator("#moderate-keys")
    expect(keys).to_be_visible()
    expect(keys).to_contain_text("j/k (or ↓/↑) next/previous, a approve")
    expect(page.locator("#report-moderation")).not_to_contain_text("↓/↑")  # one scheme, said once
    queue = page.locator("#report-queue li")
    expect(queue).to_have_count(3)
    expect(queue.first).to_have_class("selected")
    select = page.locator("#report-filters select").first
    style = select.evaluate("(node) => { const s = getComputedStyle(node); return [s.borderRadius, s.appearance]; }")
    assert style == ["8px", "none"]  # drawn like the site's inputs
    shoot(page, "moderate-1280.png")
    page.keyboard.press("j")  # the same keys as the pending donations' queue
    expect(queue.nth(1)).to_have_class("selected")
    page.keyboard.press("a")  # approve: keep
    expect(queue).to_have_count(2)
    page.keyboard.press("k")
    expect(queue.first).to_have_class("selected")
    page.keyboard.press("d")
    expect(queue).to_have_count(1)
    statuses = [call(base, "GET", f"/api/v1/images/{i}", moderator)["status"] for i in images]
    assert statuses == ["hidden", "public", "public"]
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "moderate-390.png")
    assert errors == []


def test_me_speaks_in_words_and_links_what_it_lists(server: tuple[str, Path], browser: Any) -> None:
    from playwright.sync_api import expect

    base, data = server
    moderator = new_moderator(base, data, "meg")  # one who has done nothing else
    donor, other = (call(base, "POST", "/api/v1/clients")["token"] for _ in range(2))
    image = donate(base, donor, 731, "dog")
    theirs = donate(base, other, 732, "cat")
    wait_until_public(base, donor, image["id"])
    wait_until_public(base, other, theirs["id"])
    call(base, "POST", f"/api/v1/images/{theirs['id']}/reports", donor, b'{"reason": "spam"}')
    call(base, "POST", f"/api/v1/images/{theirs['id']}/status", moderator,
         json.dumps({"status": "hidden", "reason": "checked"}).encode())
    internal = re.compile(r"\b[a-z]+\.[a-z_]+\b")  # "image.status", "label.add"
    for width, token, cards, lines in (
            # the report plugin holds a donation for screening: the site's doing, not in the donor's log
            (1280, donor, ["donations", "labels added", "reports"],
             [(f"Reported image {theirs['id']} (spam)", f"/images/{theirs['id']}"),
              (f'Labelled image {image["id"]} "dog"', f"/images/{image['id']}"),
              (f"Donated image {image['id']}", f"/images/{image['id']}")]),
            (390, moderator, ["status changes"],
             [(f"Changed the status of image {theirs['id']}", f"/images/{theirs['id']}")])):
        page, errors = page_recording_errors(browser, width)
        use_token(page, base, token)
        page.goto(base + "/me")
        expect(page.locator("#me-counts span")).to_have_text(["contributions", *cards], ignore_case=False)
        links = page.locator("#me-log li a")
        expect(links).to_have_count(len(lines))
        assert [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in range(len(lines))] == lines
        assert not internal.search(page.locator("main").inner_text())  # no internal name anywhere on the page
        shoot(page, f"me-{width}.png")
        assert errors == []
        page.close()
