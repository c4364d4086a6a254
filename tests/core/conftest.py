"""Fixtures shared by core's job tests."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from jobs_support import install_demo_plugin
from webtest import TestApp

from imagemonkey.jobs.queue import job_queue


@pytest.fixture
def demo_app(app_factory: Callable[..., TestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[Callable[..., TestApp]]:
    """Build an app with the demo plugin (its jobs registered through the hook)."""
    install_demo_plugin(tmp_path / "site", monkeypatch)
    built: list[TestApp] = []

    def build(**settings: Any) -> TestApp:
        built.append(app_factory(plugins=("demo",), **settings))
        return built[-1]
    yield build
    for app in built:
        with contextlib.suppress(redis.ConnectionError):  # the test of an unreachable Redis
            job_queue(app.app.registry).huey.flush()  # a Redis queue outlives the test
