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
