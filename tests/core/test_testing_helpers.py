"""``imagemonkey.testing``'s helpers for plugin authors: ``donate``, ``jpeg`` and what ``TEST_SETTINGS`` sets."""
from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image
from webtest import TestApp

from imagemonkey.testing import TEST_SETTINGS, donate, jpeg, new_client


def test_jpeg_is_the_same_picture_for_a_seed_and_the_size_asked_for() -> None:
    assert jpeg(seed=3) == jpeg(seed=3) != jpeg(seed=4)
    with Image.open(io.BytesIO(jpeg(seed=5, size=(120, 80)))) as picture:
        assert (picture.format, picture.size) == ("JPEG", (120, 80))


def test_donate_makes_fresh_pictures_and_takes_labels(app: TestApp) -> None:
    token = new_client(app)
    first = donate(app, token, labels=("dog",)).json["image"]
    second = donate(app, token).json["image"]  # a new picture each call: not refused as a near duplicate
    assert first["id"] != second["id"]
    assert [label["label"] for label in first["labels"]] == ["dog"]
    assert donate(app, token, jpeg(seed=7)).json["image"]["id"] not in (first["id"], second["id"])
    refused = donate(app, token, b"not a picture", status=422).json["error"]
    assert refused["code"] and refused["message"]


def test_test_settings_are_what_the_docs_say_and_can_be_overridden(app_factory: Callable[..., TestApp]) -> None:
    assert TEST_SETTINGS["imagemonkey.moderation"] == "post"
    assert {TEST_SETTINGS[f"imagemonkey.rate_limit.{kind}"] for kind in ("clients", "writes", "requests")} == {"off"}
    post = app_factory()
    assert donate(post, new_client(post)).json["image"]["status"] == "public"
    pre = app_factory(**{"imagemonkey.moderation": "pre"})
    assert donate(pre, new_client(pre)).json["image"]["status"] == "pending"
