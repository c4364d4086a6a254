"""Pack the extension into dist/imagemonkey-extension-<version>.zip (Chromium) or ...-<version>-firefox.zip.

Usage (from anywhere):  python3 extension/tools/pack.py [--browser chromium|firefox] [--out DIR] [--unpacked DIR]

The checked-in manifest.json declares its background both ways, so that the
folder loads unpacked in both browsers: ``service_worker`` (Chromium) and
``scripts`` (Firefox, which has no extension service workers and ignores that
key with a warning). Each package carries only its browser's key: Chromium's
the service worker, Firefox's the module script, so neither browser (nor
``web-ext lint``, which lints the Firefox package) meets a key it does not know.

The version comes from one place, core/VERSION, shared with the server: the
zip's manifest.json carries that version whatever the checked-in file says.
Standard library only. Development files (tests, tools, node_modules, npm
files) stay out of the zip. Entries are sorted and dated 1980-01-01, so the
same tree always gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

EXTENSION = Path(__file__).resolve().parent.parent
REPO = EXTENSION.parent
VERSION_FILE = REPO / "core" / "VERSION"
EXCLUDED_DIRS = {"test", "tools", "node_modules", ".web-extension-id", "web-ext-artifacts"}
EXCLUDED_FILES = {"package.json", "package-lock.json", ".gitignore", ".DS_Store"}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
BROWSERS = ("chromium", "firefox")


def read_version(path: Path = VERSION_FILE) -> str:
    """The project's version from core/VERSION."""
    version = path.read_text(encoding="utf-8").strip()
    if not version:
        raise SystemExit(f"{path} is empty")
    return version


def files_to_pack(root: Path = EXTENSION) -> list[Path]:
    """Every file that belongs in the zip, relative to the extension folder, sorted."""
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or rel.parts[0] in EXCLUDED_DIRS or path.name in EXCLUDED_FILES:
            continue
        if any(part.startswith(".") for part in rel.parts) or path.suffix in {".pyc", ".zip"}:
            continue
        out.append(rel)
    return out


def manifest_with_version(version: str, root: Path = EXTENSION, browser: str = "chromium") -> bytes:
    """manifest.json with its version set to `version` and only `browser`'s way of declaring the background."""
    if browser not in BROWSERS:
        raise ValueError(f"browser must be one of {', '.join(BROWSERS)}, not {browser!r}")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = version
    background = manifest["background"]
    if browser == "chromium":
        background.pop("scripts", None)
    else:
        background.pop("service_worker", None)
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def file_bytes(rel: Path, version: str, root: Path, browser: str) -> bytes:
    """What `rel` holds in `browser`'s package."""
    if rel.as_posix() == "manifest.json":
        return manifest_with_version(version, root, browser)
    return (root / rel).read_bytes()


def unpack(target: Path, browser: str = "chromium", version: str | None = None, root: Path = EXTENSION) -> Path:
    """Write `browser`'s package as a folder (to load unpacked, or to lint); returns it."""
    version = version or read_version()
    for rel in files_to_pack(root):
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(file_bytes(rel, version, root, browser))
    return target


def pack(out_dir: Path = REPO / "dist", version: str | None = None, root: Path = EXTENSION,
         browser: str = "chromium") -> Path:
    """Write `browser`'s zip and return its path."""
    version = version or read_version()
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "" if browser == "chromium" else f"-{browser}"
    target = out_dir / f"imagemonkey-extension-{version}{suffix}.zip"
    tmp = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel in files_to_pack(root):
            data = file_bytes(rel, version, root, browser)
            info = zipfile.ZipInfo(rel.as_posix(), date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    tmp.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", choices=BROWSERS, default="chromium", help="whose package (default: chromium)")
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="output folder (default: dist/)")
    parser.add_argument("--unpacked", type=Path, metavar="DIR", help="write the package's files into DIR, not a zip")
    args = parser.parse_args(argv)
    target = unpack(args.unpacked, args.browser) if args.unpacked else pack(args.out, browser=args.browser)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
