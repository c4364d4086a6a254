"""A real ``imagemonkey serve`` on 127.0.0.1 for the client's tests, with settings from a generated ini file.

With ``IMAGEMONKEY_TEST_DB`` (a ``postgresql://`` URL) the server runs on PostgreSQL, in a database of its
own that each server start empties first; otherwise on SQLite in the test's temporary folder.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from imagemonkey_client import Client, TokenStore
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
    database = _empty_postgres(f"client_{folder.name}")
    if database:
        values["sqlalchemy.url"] = database
    lines = ["[app:main]", "use = egg:imagemonkey", *(f"{key} = {value}" for key, value in values.items())]
    ini = folder / "server.ini"
    ini.write_text("\n".join(lines) + "\n")
    live = LiveServer(folder / "data", plugins, args=["--config", str(ini)])
    live.ini = ini  # type: ignore[attr-defined]  (for CLI commands on the same site)
    return live


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server with the validate plugin for a test module."""
    live = start_server(tmp_path_factory.mktemp("server"), "validate")
    yield live
    live.stop()


@pytest.fixture
def make_client(tmp_path: Path) -> Callable[..., Client]:
    """``make_client(url, **options)``: a Client whose kept tokens live in this test's folder."""
    def make(url: str, token: str | None = None, **options: object) -> Client:
        options.setdefault("progress", False)
        return Client(url, token, token_store=TokenStore(tmp_path / "config" / "tokens.json"), **options)
    return make


def picture(seed: int, width: int = 64, height: int = 48) -> bytes:
    """A small JPEG of random pixels, different for every ``seed``."""
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, "JPEG", quality=90)
    return out.getvalue()
