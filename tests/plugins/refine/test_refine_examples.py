"""Example pictures per value in refine tasks (``"examples"``): settled public images, newest first, at most three
a value, kept for ``refine.examples_ttl`` seconds."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp

from imagemonkey.plugin import SettingError
from imagemonkey.testing import auth, donate, new_client, new_moderator


def dog(app: TestApp, token: str | None = None) -> dict[str, Any]:
    """A freshly donated picture of a dog."""
    return donate(app, token or new_client(app), labels=("dog",)).json["image"]


def settle(app: TestApp, image: dict[str, Any], value: str) -> None:
    """Three fresh answers settle the dog's colour (margin 3)."""
    for _ in range(3):
        app.post_json(f"/api/v1/image-labels/{image['labels'][0]['id']}/properties",
                      {"property": "color", "value": value}, headers=auth(new_client(app)))


def task_examples(app: TestApp) -> dict[str, list[str]]:
    """The examples of a fresh worker's next refine task, as ``{value: [image ids]}``."""
    task = app.get("/api/v1/tasks/next", {"kind": "refine", "label": "dog"}, headers=auth(new_client(app))).json["task"]
    for item in task["examples"]:
        for image in item["images"]:
            assert image["url"].endswith(f"/api/v1/images/{image['id']}/file?size=thumb")
    return {item["value"]: [image["id"] for image in item["images"]] for item in task["examples"]}


def test_examples_are_settled_public_pictures_newest_first(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",), **{"refine.examples_ttl": "0"})
    browns = [dog(app) for _ in range(4)]
    for image in browns:
        settle(app, image, "brown")
    black = dog(app)
    settle(app, black, "black")
    hidden = dog(app)
    settle(app, hidden, "white")
    app.post_json(f"/api/v1/images/{hidden['id']}/status", {"status": "hidden", "reason": "test"},
                  headers=auth(new_moderator(app)))  # no longer public: no example for anyone
    dog(app)  # still open: the task
    found = task_examples(app)
    assert found == {"brown": [image["id"] for image in reversed(browns[1:])], "black": [black["id"]]}
    assert app.get(f"/api/v1/images/{found['brown'][0]}/file", {"size": "thumb"}).content_type.startswith("image/")


def test_examples_are_kept_for_the_ttl(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("refine",), **{"refine.examples_ttl": "600"})
    first, _ = dog(app), dog(app)
    assert task_examples(app) == {}
    settle(app, first, "golden")
    assert task_examples(app) == {}  # the answer read before the value settled, for ten minutes
    for value in ("-1", "soon"):
        with pytest.raises(SettingError, match=r"refine\.examples_ttl"):
            app_factory(plugins=("refine",), **{"refine.examples_ttl": value})
