"""The extension's packaging: one version (core/VERSION), a clean zip.

Plain unit tests (no browser); they live next to the extension's e2e tests.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "extension"
sys.path.insert(0, str(EXTENSION / "tools"))
import pack  # noqa: E402

sys.path.pop(0)


def test_manifest_version_equals_core_version():
    version = (REPO / "core" / "VERSION").read_text().strip()
    manifest = json.loads((EXTENSION / "manifest.json").read_text())
    assert manifest["version"] == version


def test_pack_writes_a_zip_with_the_core_version(tmp_path: Path):
    target = pack.pack(tmp_path, version="9.8.7")
    assert target == tmp_path / "imagemonkey-extension-9.8.7.zip"
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["version"] == "9.8.7"
    assert {
        "manifest.json",
        "background.js",
        "popup.html",
        "options.html",
        "content/panel.js",
        "_locales/en/messages.json",
        "icons/icon-16.png",
        "icons/icon-128.png",
    } <= names
    assert not [n for n in names if n.split("/")[0] in {"test", "tools", "node_modules"}]
    assert not names & {"package.json", "package-lock.json", ".gitignore"}


def test_pack_is_reproducible(tmp_path: Path):
    a = pack.pack(tmp_path / "a").read_bytes()
    b = pack.pack(tmp_path / "b").read_bytes()
    assert a == b


def test_pack_cli_uses_core_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert pack.main(["--out", str(tmp_path)]) == 0
    version = (REPO / "core" / "VERSION").read_text().strip()
    assert capsys.readouterr().out.strip() == str(tmp_path / f"imagemonkey-extension-{version}.zip")


@pytest.mark.parametrize("size", [16, 32, 48, 128])
def test_icons_have_their_size(size: int):
    png = (EXTENSION / "icons" / f"icon-{size}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == size and int.from_bytes(png[20:24], "big") == size


def test_each_browser_gets_only_the_background_it_knows(tmp_path: Path):
    """Chromium's package keeps the service worker, Firefox's the module script (Firefox has no extension
    service workers: web-ext lint warns on the key); the checked-in manifest declares both, to load unpacked."""
    source = json.loads((EXTENSION / "manifest.json").read_text())["background"]
    assert source == {"service_worker": "background.js", "scripts": ["background.js"], "type": "module"}
    chromium = pack.pack(tmp_path, version="1.2.3")
    firefox = pack.pack(tmp_path, version="1.2.3", browser="firefox")
    assert firefox == tmp_path / "imagemonkey-extension-1.2.3-firefox.zip"
    with zipfile.ZipFile(chromium) as zc, zipfile.ZipFile(firefox) as zf:
        assert json.loads(zc.read("manifest.json"))["background"] == {"service_worker": "background.js",
                                                                      "type": "module"}
        assert json.loads(zf.read("manifest.json"))["background"] == {"scripts": ["background.js"], "type": "module"}
        assert zc.namelist() == zf.namelist()
        assert all(zc.read(name) == zf.read(name) for name in zc.namelist() if name != "manifest.json")


def test_unpacked_firefox_package_is_the_zip_as_a_folder(tmp_path: Path):
    folder = pack.unpack(tmp_path / "firefox", "firefox", version="1.2.3")
    with zipfile.ZipFile(pack.pack(tmp_path, version="1.2.3", browser="firefox")) as zf:
        assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == sorted(zf.namelist())
        assert (folder / "manifest.json").read_bytes() == zf.read("manifest.json")


def test_an_unknown_browser_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="chromium, firefox"):
        pack.pack(tmp_path, browser="safari")
