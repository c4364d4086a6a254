"""Real Firefox ESR for the extension's end-to-end tests, driven by Mozilla's Marionette (``marionette-driver``).

Nothing is downloaded: Debian's ``firefox-esr`` is started headless with ``--marionette`` on a free port and its
own profile in a temporary folder, the extension's Firefox package is installed as a temporary add-on through
Marionette's ``Addons``, and its pages are opened at ``moz-extension://<uuid>/`` (the uuid Firefox gave the add-on
is in the ``extensions.webextensions.uuids`` preference). The process is always killed when the ``with`` block of
:func:`launched_firefox` ends.

Without Firefox (or marionette-driver) the tests are skipped with the reason, unless ``$CI`` is set: then they fail.
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from imagemonkey.liveserver import free_port, stop_process

FIREFOX = Path("/usr/bin/firefox-esr")
# Quiet, offline, deterministic: no first-run pages, no update or telemetry traffic, a light page colour scheme.
PREFS: dict[str, Any] = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "extensions.getAddons.cache.enabled": False,
    "layout.css.prefers-color-scheme.content-override": 1,
    "devtools.console.stdout.chrome": True,  # console messages (the extension's too) into the log
    "devtools.console.stdout.content": True,
}
FIND_ITEM_JS = """
const menu = document.getElementById("contentAreaContextMenu");
return [...menu.querySelectorAll("menuitem")].find((el) => el.id.endsWith("-menuitem-_" + arguments[0])) ?? null;
"""
SET_WIDTH_JS = """
const style = gBrowser.selectedBrowser.style;
style.minWidth = style.maxWidth = arguments[0];
"""
MENU_ITEMS_JS = """
const menu = document.getElementById("contentAreaContextMenu");
if (menu.state !== "open") return null;
return [...menu.querySelectorAll("menuitem")].filter((el) => el.id.includes("-menuitem-_") && !el.hidden)
  .map((el) => el.label);
"""


def require_firefox() -> None:
    """Skip (or, with ``$CI`` set, fail) when Firefox ESR or marionette-driver is missing."""
    missing = None
    if not FIREFOX.exists():
        missing = f"{FIREFOX} is not installed (apt-get install firefox-esr)"
    else:
        try:
            import marionette_driver  # noqa: F401
        except ImportError:
            missing = "marionette-driver is not installed (pip install -e '.[test]')"
    if missing and os.environ.get("CI"):
        pytest.fail(f"{missing}, and CI is set")
    if missing:
        pytest.skip(f"{missing}; set CI=1 to make this a failure instead of a skip")


class Firefox:
    """A headless Firefox ESR process with its own profile and a Marionette session to it."""

    def __init__(self, profile: Path, *, timeout: float = 60.0):
        from marionette_driver.marionette import Marionette

        profile.mkdir(parents=True, exist_ok=True)
        port = free_port()
        prefs = {**PREFS, "marionette.port": port}
        (profile / "user.js").write_text("".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n"
                                                 for k, v in prefs.items()), encoding="utf-8")
        self.log_path = profile.parent / f"{profile.name}-firefox.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(FIREFOX), "--headless", "--marionette", "-remote-allow-system-access", "--no-remote",
                 "--profile", str(profile)],
                stdout=log, stderr=subprocess.STDOUT)
        try:
            self.marionette = Marionette(host="127.0.0.1", port=port, socket_timeout=timeout)
            self.marionette.start_session(timeout=timeout)
            self.marionette.timeout.script = 30
            self.marionette.timeout.page_load = 30
            self.marionette.set_window_rect(width=1280, height=900)
        except Exception:
            self.close()
            raise
        self.uuid = ""
        self.addon_id = ""
        self.extension_tab = ""

    def close(self) -> None:
        """End the session and the process (killed if it does not quit in time)."""
        marionette = getattr(self, "marionette", None)
        if marionette is not None and marionette.session_id:
            try:
                marionette.delete_session()
            except Exception:  # the process is stopped below, whatever the session says
                pass
        stop_process(self.process, timeout=5)

    def script_errors(self) -> list[str]:
        """Uncaught errors and unhandled rejections of pages and the extension so far (Firefox's own, from its
        resource:// and chrome:// code, left out), as Firefox printed them to its log."""
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return [line for line in lines if line.startswith("JavaScript error: ")
                and not line.startswith(("JavaScript error: resource://", "JavaScript error: chrome://"))]

    # --------------------------------------------------------------- the extension
    def install(self, package: Path) -> str:
        """Install ``package`` (a .zip/.xpi or a folder) as a temporary add-on; its id. Opens its options page."""
        from marionette_driver.addons import Addons

        addon_id = self.addon_id = Addons(self.marionette).install(str(package), temp=True)
        with self.marionette.using_context("chrome"):
            self.uuid = json.loads(self.marionette.get_pref("extensions.webextensions.uuids"))[addon_id]
        self.marionette.navigate(self.extension_url("options.html"))
        self.extension_tab = self.marionette.current_window_handle
        return addon_id

    def manifest_warnings(self) -> list[str]:
        """What Firefox warned about the installed add-on's manifest (keys it does not support, ...)."""
        with self.marionette.using_context("chrome"):
            return list(self.marionette.execute_script(
                "return WebExtensionPolicy.getByID(arguments[0]).extension.warnings;", script_args=[self.addon_id]))

    def extension_url(self, page: str) -> str:
        """``moz-extension://<uuid>/<page>``."""
        return f"moz-extension://{self.uuid}/{page}"

    def in_extension(self, body: str, *args: Any) -> Any:
        """Run ``body`` (an async function body with ``args`` as ``args``) in the extension's own tab; its result.

        The tab is a moz-extension:// page, so ``browser.*`` and ``browser.runtime.getBackgroundPage()`` (the
        background script's window, with what it exports on ``globalThis``) are there.
        """
        m = self.marionette
        back = m.current_window_handle
        m.switch_to_window(self.extension_tab)
        try:
            answer = m.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                f"(async (args) => {{ {body} }})([...arguments].slice(0, -1))"
                ".then((value) => done({ value }), (err) => done({ error: String(err?.stack ?? err) }));",
                script_args=list(args), sandbox=None)
        finally:
            m.switch_to_window(back)
        if "error" in answer:
            raise AssertionError(f"in the extension: {answer['error']}")
        return answer.get("value")

    def use_server(self, url: str) -> list[dict]:
        """Point the extension at a server; the context menu items the background built from its actions."""
        return self.in_extension("""
            await browser.storage.local.set({ serverUrl: args[0] });
            const bg = await browser.runtime.getBackgroundPage();
            await bg.imagemonkeyRefreshMenus();
            return (await bg.imagemonkeyMenuState()).menuItems;""", url)

    def token(self, server_url: str) -> str:
        """The bearer token the extension holds for ``server_url``."""
        return self.in_extension("return (await browser.storage.local.get('identities')).identities[args[0]].token",
                                 server_url)

    # --------------------------------------------------------------- tabs and pages
    def open_tab(self, url: str) -> str:
        """A new tab at ``url``, switched to; its handle."""
        handle = self.marionette.open(type="tab", focus=True)["handle"]
        self.marionette.switch_to_window(handle)
        self.marionette.navigate(url)
        return handle

    def close_tab(self) -> None:
        """Close the current tab and go back to the extension's."""
        self.marionette.close()
        self.marionette.switch_to_window(self.extension_tab)

    def wait_for(self, predicate: str, *args: Any, timeout: float = 20.0) -> Any:
        """Poll the JS expression ``predicate`` (``args`` as ``args``) in the current tab until it is truthy."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.marionette.execute_script(f"const args = [...arguments]; return ({predicate});",
                                                   script_args=list(args), sandbox=None)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {predicate}")
            time.sleep(0.05)

    def press(self, *keys: str) -> None:
        """Press ``keys`` together, like a chord (``press(Keys.CONTROL, Keys.ENTER)``), in the focused element."""
        chord = self.marionette.actions.sequence("key", "keyboard")
        for key in keys:
            chord.key_down(key)
        for key in reversed(keys):
            chord.key_up(key)
        chord.perform()

    def open_context_menu(self, element: Any) -> list[str]:
        """Right-click ``element`` as a user would; the labels of the extension's items in the menu that opens."""
        m = self.marionette
        m.execute_script("arguments[0].scrollIntoView({ block: 'center' });", script_args=[element])
        m.actions.sequence("pointer", "mouse").pointer_move(0, 0, origin=element) \
            .pointer_down(button=2).pointer_up(button=2).perform()
        deadline = time.monotonic() + 10
        with m.using_context("chrome"):
            while not (labels := m.execute_script(MENU_ITEMS_JS)):
                assert time.monotonic() < deadline, "the context menu did not open"
                time.sleep(0.05)
        return labels

    def choose(self, item: str) -> str:
        """Choose the extension's item ``item`` (the id it was created with) in the open context menu; its label.

        With more than one item Firefox puts them in a submenu named after the extension, which is opened first.
        Firefox then calls the background's ``contextMenus.onClicked`` listener with the click's info and tab,
        exactly as when a user picks the item.
        """
        m = self.marionette
        with m.using_context("chrome"):
            element = m.execute_script(FIND_ITEM_JS, script_args=[item])
            assert element is not None, f"no menu item {item!r} in the context menu"
            m.execute_script("const popup = arguments[0].parentNode;"
                             "if (popup.state !== 'open') popup.parentNode.openMenu(true);", script_args=[element])
            deadline = time.monotonic() + 10
            while m.execute_script("return arguments[0].parentNode.state", script_args=[element]) != "open":
                assert time.monotonic() < deadline, f"the submenu holding {item!r} did not open"
                time.sleep(0.05)
            return m.execute_script("const item = arguments[0]; const label = item.label;"
                                    "item.closest('#contentAreaContextMenu').activateItem(item); return label;",
                                    script_args=[element])

    def close_context_menu(self) -> None:
        """Close the open context menu without choosing anything."""
        with self.marionette.using_context("chrome"):
            self.marionette.execute_script("document.getElementById('contentAreaContextMenu').hidePopup();")

    def screenshot(self, path: Path, width: int) -> None:
        """A PNG of the current tab's viewport at ``width`` px wide (the window keeps its size: Firefox has a
        minimum window width above a phone's, so the tab's own browser element is narrowed instead)."""
        m = self.marionette
        with m.using_context("chrome"):
            m.execute_script(SET_WIDTH_JS, script_args=[f"{width}px"])
        try:
            time.sleep(0.2)  # the page reflows to the new width
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as out:
                m.save_screenshot(out, full=False)
        finally:
            with m.using_context("chrome"):
                m.execute_script(SET_WIDTH_JS, script_args=[""])


@contextmanager
def launched_firefox(folder: Path, package: Path) -> Iterator[Firefox]:
    """Firefox with ``package`` installed as a temporary add-on, its profile under ``folder``; killed afterwards.

    Script errors that Firefox logged meanwhile (:meth:`Firefox.script_errors`) fail the block once it is done.
    """
    require_firefox()
    firefox = Firefox(folder / "profile")
    try:
        firefox.install(package)
        yield firefox
    finally:
        firefox.close()
    assert not firefox.script_errors(), f"script errors in Firefox: {firefox.script_errors()}"
