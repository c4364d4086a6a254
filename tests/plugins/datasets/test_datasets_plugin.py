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


def test_release_with_the_plugin_alone(app_factory: Any) -> None:
    """Without validate nothing is verified: a default release keeps the pictures without labels, and says why."""
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from datasets_support import local_url, photo, release

    from imagemonkey.testing import auth, new_client, new_moderator

    app = app_factory(plugins=("datasets",), **{"imagemonkey.moderation": "post"})
    app.post("/api/v1/images", params=[("label", "cat")], upload_files=[("image", "c.png", photo("chelsea", "PNG"))],
             headers=auth(new_client(app)), status=201)
    moderator = new_moderator(app)
    plain = release(app, moderator, version="1", formats=["yolo"])
    assert plain["status"] == "ready" and plain["counts"]["images"] == 1 and plain["counts"]["image_labels"] == 0
    files = {item["name"]: local_url(item["url"]) for item in plain["files"]}
    assert "without the validate plugin" in app.get(files["README.md"]).text
    labelled = release(app, moderator, version="2", formats=["yolo"], include_unverified=True)
    (row,) = [json.loads(line) for line in app.get(
        next(local_url(i["url"]) for i in labelled["files"] if i["name"] == "images.jsonl")).text.splitlines()]
    assert row["labels"] == [{"label": "cat", "state": "unverified", "attributes": {}}]
