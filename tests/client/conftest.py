"""Fixtures of the client's tests: a server with the validate plugin per module, and clients whose kept
tokens live in the test's folder."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from imagemonkey_client import Client, TokenStore

sys.path.insert(0, str(Path(__file__).parent))
from client_support import start_server  # noqa: E402

from imagemonkey.liveserver import LiveServer  # noqa: E402


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
