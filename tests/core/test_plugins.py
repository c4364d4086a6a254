"""Plugin loading through the real entry-point mechanism: errors at start-up, and a third-party plugin."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest
from support import install_plugin, write_plugin
from webtest import TestApp

from imagemonkey.plugins import PluginError, installed_plugins

THIRD_PARTY = '''
from imagemonkey.hookspecs import hookimpl
from imagemonkey.openapi import op


def hello(request):
    return {"hello": request.params.get("name", "world")}


@hookimpl
def imagemonkey_navigation(request):
    return [{"title": "Hello page", "href": "/api/v1/thirdparty/hello", "description": "Says hello."}]


@hookimpl
def imagemonkey_extension_actions(request):
    return [{"id": "thirdparty-hello", "title": "Say hello", "contexts": ["popup"]}]


@hookimpl
def imagemonkey_openapi_paths():
    return {"/api/v1/thirdparty/hello": {"get": op("Say hello", query=["name"])}}


def includeme(config):
    import sys
    config.add_api_route("thirdparty.hello", "/api/v1/thirdparty/hello")
    config.add_view(hello, route_name="thirdparty.hello", request_method="GET", renderer="json")
    config.add_hooks(sys.modules[__name__])
'''


def test_no_plugins_at_all(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=())
    info = app.get("/api/v1/info").json
    assert info["plugins"] == []
    assert info["task_kinds"] == ["label"]


def test_unknown_plugin_fails_listing_installed(app_factory: Callable[..., TestApp], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugin(tmp_path, "present", "def includeme(config):\n    pass\n")
    install_plugin(monkeypatch, tmp_path)
    with pytest.raises(PluginError) as caught:
        app_factory(plugins=("no-such-plugin",))
    message = str(caught.value)
    assert "no-such-plugin" in message
    assert "present" in message
    for name in installed_plugins():
        assert name in message


def test_missing_required_plugin_fails(app_factory: Callable[..., TestApp], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugin(tmp_path, "needy", 'def includeme(config):\n    config.requires_plugin("helper")\n')
    write_plugin(tmp_path, "helper", "def includeme(config):\n    pass\n")
    install_plugin(monkeypatch, tmp_path)
    with pytest.raises(PluginError, match="'needy' requires plugin 'helper'"):
        app_factory(plugins=("needy",))
    app = app_factory(plugins=("helper", "needy"))
    assert [p["name"] for p in app.get("/api/v1/info").json["plugins"]] == ["helper", "needy"]


def test_misspelled_hookimpl_fails_at_start_up(app_factory: Callable[..., TestApp], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugin(tmp_path, "typo", '''
        import sys
        from imagemonkey.hookspecs import hookimpl


        @hookimpl
        def imagemonkey_imagee_donated(request, image, duplicate):
            pass


        def includeme(config):
            config.add_hooks(sys.modules[__name__])
    ''')
    install_plugin(monkeypatch, tmp_path)
    with pytest.raises(pluggy.PluginValidationError, match="imagemonkey_imagee_donated"):
        app_factory(plugins=("typo",))


def test_plugin_that_fails_to_import_is_a_plugin_error(app_factory: Callable[..., TestApp], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    write_plugin(tmp_path, "broken", "import imagemonkey_does_not_exist_anywhere\n")
    install_plugin(monkeypatch, tmp_path)
    with pytest.raises(PluginError, match="'broken' failed to import"):
        app_factory(plugins=("broken",))


@pytest.fixture
def third_party(app_factory: Callable[..., TestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestApp:
    write_plugin(tmp_path / "site", "thirdparty", THIRD_PARTY, version="2.3.4")
    install_plugin(monkeypatch, tmp_path / "site")
    return app_factory(plugins=("thirdparty",))


def test_third_party_plugin_route_and_version(third_party: TestApp) -> None:
    assert third_party.get("/api/v1/thirdparty/hello", {"name": "monkey"}).json == {"hello": "monkey"}
    assert {"name": "thirdparty", "version": "2.3.4"} in third_party.get("/api/v1/info").json["plugins"]
    wrong = third_party.post("/api/v1/thirdparty/hello", status=405)
    assert wrong.json["error"]["code"] == "method_not_allowed"
    assert wrong.headers["Allow"] == "GET"


def test_third_party_plugin_navigation_and_actions(third_party: TestApp) -> None:
    home = third_party.get("/")
    assert "Hello page" in home.text and "/api/v1/thirdparty/hello" in home.text
    assert "thirdparty 2.3.4" in home.text
    actions: list[dict[str, Any]] = third_party.get("/api/v1/extension").json["actions"]
    ids = [action["id"] for action in actions]
    assert "thirdparty-hello" in ids and "donate" in ids
    assert "/api/v1/thirdparty/hello" in third_party.get("/api/v1/openapi.json").json["paths"]


def test_third_party_plugin_disabled_leaves_no_trace(third_party: TestApp,
                                                     app_factory: Callable[..., TestApp]) -> None:
    plain = app_factory(plugins=())
    plain.get("/api/v1/thirdparty/hello", status=404)
    assert "thirdparty-hello" not in [a["id"] for a in plain.get("/api/v1/extension").json["actions"]]
    assert "Hello page" not in plain.get("/").text
