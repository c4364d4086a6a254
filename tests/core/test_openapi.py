"""The OpenAPI document is valid OpenAPI 3 and lists every /api/ route with its methods."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from openapi_spec_validator import validate
from webtest import TestApp

from imagemonkey.plugins import installed_plugins
from imagemonkey.version import __version__


def api_routes(app: TestApp) -> dict[str, set[str]]:
    """``{pattern: {methods}}`` of every route under /api/, read from Pyramid's introspector."""
    introspector = app.app.registry.introspector
    routes: dict[str, set[str]] = {}
    for item in introspector.get_category("routes"):
        route = item["introspectable"]
        pattern = route["pattern"]
        if not pattern.startswith("/api/"):
            continue
        methods: set[str] = set()
        for related in introspector.related(route):
            if related.category_name == "views" and related.get("request_methods"):
                found = related["request_methods"]
                methods.update([found] if isinstance(found, str) else found)
        routes[pattern] = methods
    return routes


@pytest.fixture(params=["core", "all"])
def any_app(request: pytest.FixtureRequest, app_factory: Callable[..., TestApp]) -> TestApp:
    plugins = () if request.param == "core" else tuple(sorted(installed_plugins()))
    return app_factory(plugins=plugins)


def test_document_is_valid_openapi_3(any_app: TestApp) -> None:
    answer = any_app.get("/api/v1/openapi.json")
    assert answer.content_type == "application/json"
    document: dict[str, Any] = answer.json
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == __version__
    validate(document)


def test_every_api_route_is_documented_with_its_methods(any_app: TestApp) -> None:
    paths = any_app.get("/api/v1/openapi.json").json["paths"]
    routes = api_routes(any_app)
    assert "/api/v1/images/{id}" in routes and routes["/api/v1/images"] == {"GET", "POST"}
    missing = {pattern: sorted(methods - {m.upper() for m in paths.get(pattern, {})})
               for pattern, methods in routes.items()}
    assert {pattern: gaps for pattern, gaps in missing.items() if gaps} == {}
    undocumented = sorted(pattern for pattern in routes if pattern not in paths)
    assert undocumented == []


def test_documented_paths_exist(any_app: TestApp) -> None:
    """No stale entries: every documented path and method is a real route."""
    routes = api_routes(any_app)
    paths = any_app.get("/api/v1/openapi.json").json["paths"]
    for pattern, item in paths.items():
        assert pattern in routes, pattern
        methods = {m.upper() for m in item if m in ("get", "post", "put", "delete", "patch")}
        assert methods <= routes[pattern], (pattern, methods, routes[pattern])


def test_writes_declare_bearer_security(app: TestApp) -> None:
    document = app.get("/api/v1/openapi.json").json
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert document["paths"]["/api/v1/images"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/api/v1/info"]["get"]
