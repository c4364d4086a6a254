"""The datasets plugin loads alone and with every other plugin, and migrates its tables."""
from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("plugins", [("datasets",), ("validate", "annotate", "report", "datasets")])
def test_plugin_loads_and_migrates(app_factory: Any, plugins: tuple[str, ...]) -> None:
    app = app_factory(plugins=plugins)
    info = app.get("/api/v1/info").json
    assert "datasets" in [plugin["name"] for plugin in info["plugins"]]


def test_bad_setting_stops_startup(app_factory: Any) -> None:
    with pytest.raises(Exception, match="datasets.schedule"):
        app_factory(plugins=("datasets",), **{"datasets.schedule": "hourly-ish"})
