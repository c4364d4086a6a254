"""Helpers shared by the core functional tests: distinct images, donating, and real plugin packages.

``write_plugin`` installs a tiny plugin the way a third party does: a package plus a
``*.dist-info`` folder whose ``entry_points.txt`` names it in the ``imagemonkey.plugins``
group, in a folder that the test puts on ``sys.path``. Core then finds it through
``importlib.metadata`` exactly like a pip-installed plugin.
"""
from __future__ import annotations

import importlib
import io
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from webtest import TestApp

sys.path.insert(0, str(Path(__file__).parent))
import imagefactory as factory  # noqa: E402

from imagemonkey.testing import auth  # noqa: E402

__all__ = ["factory", "jpeg", "png", "donate", "write_plugin", "install_plugin", "app_db_url", "count_rows",
           "stored_blob_files", "reencoded_smaller", "image_keys", "blobs_exist"]


def jpeg(seed: int, width: int = 96, height: int = 72, **options: Any) -> bytes:
    """A small photo-like JPEG; different seeds are different pictures (far apart by perceptual hash)."""
    return factory.jpeg_bytes(width, height, seed=seed, **options)


def png(seed: int, width: int = 96, height: int = 72, **options: Any) -> bytes:
    """A small photo-like PNG."""
    return factory.png_bytes(width, height, seed=seed, **options)


def reencoded_smaller(data: bytes, quality: int = 60, scale: float = 0.75) -> bytes:
    """``data`` decoded, resized and saved again as a lower-quality JPEG: a near duplicate."""
    with Image.open(io.BytesIO(data)) as img:
        small = img.convert("RGB").resize((int(img.width * scale), int(img.height * scale)), Image.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=quality)
    return out.getvalue()


def donate(app: TestApp, token: str | None, data: bytes, *, labels: tuple[str, ...] = (), status: int | str = 201,
           filename: str = "a.jpg", **fields: str) -> Any:
    """POST /api/v1/images with ``data``; returns the WebTest response (status checked)."""
    params = [("label", name) for name in labels] + list(fields.items())
    headers = auth(token) if token else {}
    return app.post("/api/v1/images", params=params, upload_files=[("image", filename, data)], headers=headers,
                    status=status)


def write_plugin(root: Path, name: str, source: str, *, version: str = "1.0.0",
                 modules: dict[str, str] | None = None) -> str:
    """Write plugin ``name`` (``__init__`` from ``source``) as an installed distribution under ``root``.

    Returns the (unique) module name. Call :func:`install_plugin` (or put ``root`` on
    ``sys.path`` yourself) once every plugin of the test is written.
    """
    module = f"imtest_{name.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
    package = root / module
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(source))
    for sub, text in (modules or {}).items():
        (package / f"{sub}.py").write_text(textwrap.dedent(text))
    dist = root / f"imagemonkey_test_{module}-{version}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: imagemonkey-test-{module}\nVersion: {version}\n")
    (dist / "entry_points.txt").write_text(f"[imagemonkey.plugins]\n{name} = {module}\n")
    return module


def install_plugin(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Make the plugins written under ``root`` installed for this test (undone afterwards)."""
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()


def app_db_url(app: TestApp) -> str:
    """The database URL an app was built on."""
    return app.app.registry.settings["sqlalchemy.url"]


def count_rows(app: TestApp, model: Any, *conditions: Any) -> int:
    """How many rows of ``model`` match, read in a fresh session."""
    from sqlalchemy import func, select

    session = app.app.registry["dbsession_factory"]()
    try:
        return session.scalar(select(func.count()).select_from(model).where(*conditions))
    finally:
        session.close()


def stored_blob_files(app: TestApp) -> list[Path]:
    """Every file under the app's local image store (temporary files included)."""
    root = Path(app.app.registry.settings["imagemonkey.data_dir"]) / "images"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def image_keys(app: TestApp, image_id: str | int) -> set[str]:
    """The blob keys of an image's three renditions (read from its row)."""
    from imagemonkey.models import Image as ImageRow

    session = app.app.registry["dbsession_factory"]()
    try:
        row = session.get(ImageRow, int(image_id))
        return {row.original_key, row.medium_key, row.thumb_key}
    finally:
        session.close()


def blobs_exist(app: TestApp, keys: set[str]) -> list[bool]:
    """For each key (sorted), whether the app's blob store holds it."""
    store = app.app.registry["blobstore"]
    return [store.exists(key) for key in sorted(keys)]
