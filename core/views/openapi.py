"""``GET /api/v1/openapi.json``."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from ..openapi import build_document


@view_config(route_name="api.openapi", request_method="GET", renderer="json")
def openapi(request: Any) -> dict[str, Any]:
    """The OpenAPI 3 document of core and the enabled plugins."""
    return build_document(request)
