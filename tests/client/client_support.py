"""Helpers for the client's tests: a real ``imagemonkey serve`` on 127.0.0.1 with settings from a generated ini
file, and pictures to donate.

With ``IMAGEMONKEY_TEST_DB`` (a ``postgresql://`` URL) the server runs on PostgreSQL, in a database of its
own that each server start empties first; otherwise on SQLite in the test's temporary folder.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image
from sqlalchemy import text

from imagemonkey.db.engine import make_engine
from imagemonkey.liveserver import LiveServer
from imagemonkey.testing import postgres_test_url

OPEN_SETTINGS = {
    "imagemonkey.moderation": "post",
    "imagemonkey.rate_limit.clients": "off",
    "imagemonkey.rate_limit.writes": "off",
    "imagemonkey.rate_limit.requests": "off",
}


def _empty_postgres(name: str) -> str | None:
    """A PostgreSQL database of its own for one server, emptied; None when the tests run on SQLite."""
    url = postgres_test_url(name)
    if url is None:
        return None
    engine = make_engine(url, pool_size=1, max_overflow=0)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def start_server(folder: Path, plugins: str, **settings: str) -> LiveServer:
    """``imagemonkey serve --config`` with ``plugins`` and ``settings`` (over :data:`OPEN_SETTINGS`)."""
    folder.mkdir(parents=True, exist_ok=True)
    values = {**OPEN_SETTINGS, "imagemonkey.plugins": plugins, "imagemonkey.data_dir": str(folder / "var"),
              **settings}
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # xdist workers' folders have the same names
    database = _empty_postgres(f"client_{worker}_{folder.name}")
    if database:
        values["sqlalchemy.url"] = database
    lines = ["[app:main]", "use = egg:imagemonkey", *(f"{key} = {value}" for key, value in values.items())]
    ini = folder / "server.ini"
    ini.write_text("\n".join(lines) + "\n")
    live = LiveServer(folder / "data", plugins, args=["--config", str(ini)])
    live.ini = ini  # type: ignore[attr-defined]  (for CLI commands on the same site)
    return live


def picture(seed: int, width: int = 64, height: int = 48) -> bytes:
    """A small JPEG of random pixels, different for every ``seed``."""
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, "JPEG", quality=90)
    return out.getvalue()
