"""Core views. ``add_api_route`` registers a route whose unmatched methods answer 405 in JSON."""
from __future__ import annotations

import json
from typing import Any

from pyramid.config import Configurator

from ..errors import ApiError, bad_request
from ..inputs import check_json_text


def add_api_route(config: Configurator, name: str, pattern: str) -> None:
    """Directive ``config.add_api_route(name, pattern)``: a route plus a JSON 405 fallback view."""
    config.add_route(name, pattern)
    config.add_view(method_not_allowed, route_name=name, renderer="json")


def allowed_methods(request: Any) -> list[str]:
    """The methods some view accepts on the matched route."""
    introspector = request.registry.introspector
    route = introspector.get("routes", request.matched_route.name)
    methods: set[str] = set()
    for view in introspector.related(route):
        found = view.get("request_methods") if view.category_name == "views" else None
        if found:
            methods.update([found] if isinstance(found, str) else found)
    return sorted(methods)


def method_not_allowed(request: Any) -> Any:
    """The fallback view of an API route: 405 with ``Allow``."""
    allowed = allowed_methods(request)
    raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed here; use {', '.join(allowed)}.",
                   headers={"Allow": ", ".join(allowed)}, allowed=allowed)


def json_body(request: Any) -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    try:
        body = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad_request(f"The body is not valid JSON: {exc}", code="malformed_json") from exc
    except RecursionError:
        raise bad_request("The body's JSON is nested too deeply.", code="malformed_json") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise bad_request(f"The body's JSON holds a number too long to read: {exc}", code="malformed_json") from None
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.", code="malformed_json")
    return check_json_text(body)


def includeme(config: Configurator) -> None:
    """Add the ``add_api_route`` directive."""
    config.add_directive("add_api_route", add_api_route)
