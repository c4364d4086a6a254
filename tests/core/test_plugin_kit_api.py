"""``image_page_url`` and ``plugin_state`` of ``imagemonkey.plugin``, on real apps."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from webtest import TestApp

from imagemonkey.openapi import QUERY_SCHEMAS as CORE_QUERY_SCHEMAS
from imagemonkey.plugin import QUERY_SCHEMAS, PluginError, image_page_url, plugin_state
from imagemonkey.scripting import app_request
from imagemonkey.testing import donate, new_client


def test_image_page_url_is_the_page_that_answers(app: TestApp) -> None:
    image = donate(app, new_client(app)).json["image"]["id"]
    with app_request(app.app.registry) as request:
        url = image_page_url(request, image)
    assert url == f"/images/{image}"
    assert f"/api/v1/images/{image}/file" in app.get(url, status=200).text  # the page shows this image


def test_image_page_url_under_the_public_url(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.public_url": "https://images.example.org/"})
    with app_request(app.app.registry) as request:
        assert image_page_url(request, 12) == "https://images.example.org/images/12"


def test_plugin_state_is_one_dict_per_app_and_plugin(app_factory: Callable[..., TestApp]) -> None:
    first, second = app_factory(plugins=("validate", "report")), app_factory(plugins=("validate",))
    state = plugin_state(first.app.registry, "validate")
    state["cache"] = 1
    with app_request(first.app.registry) as request:
        assert plugin_state(request, "validate") is state  # a request or the registry: the same dict
    assert plugin_state(first.app.registry, "report") == {}
    assert plugin_state(second.app.registry, "validate") == {}  # another app: its own


def test_plugin_state_of_a_plugin_that_is_not_enabled(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("validate",))
    with pytest.raises(PluginError, match="'valdiate' is not an enabled plugin"):
        plugin_state(app.app.registry, "valdiate")


def test_query_schemas_are_core_s_own() -> None:
    assert QUERY_SCHEMAS is CORE_QUERY_SCHEMAS and QUERY_SCHEMAS["limit"]["maximum"] >= 1
