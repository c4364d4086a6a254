"""``GET /api/v1/export?q=QUERY&format=F``: what a query matches, streamed as one tar in a format's layout.

Up to ``datasets.max_export_images`` public images; past that a 413 ``too_many_images`` that points to
building a release. The archive is streamed by :mod:`.export_stream` (bounded memory, first bytes at once).
"""
from __future__ import annotations

from typing import Any

from pyramid.response import Response
from sqlalchemy import func, select

from imagemonkey.plugin import (
    ApiError,
    Image,
    bad_request,
    export_formats,
    get_setting,
    hookimpl,
    op,
    parameter,
    query_clause,
)

from .export_stream import ExportStream

ROUTE = "datasets.export"
PATH = "/api/v1/export"


def includeme(config: Any) -> None:
    """The export's route, view and OpenAPI entry."""
    config.add_api_route(ROUTE, PATH)
    config.add_view(export_view, route_name=ROUTE, request_method="GET")
    from . import export_formats

    config.add_hooks(OpenApi(), name="datasets.export")
    config.add_hooks(export_formats, name="datasets.exporters")


def matching(where: Any, limit: int) -> Any:
    """How many public images match ``where`` (None: all), counted up to ``limit`` (bounded work)."""
    ids = select(Image.id).where(Image.status == "public")
    if where is not None:
        ids = ids.where(where)
    return select(func.count()).select_from(ids.limit(limit).subquery())


def export_view(request: Any) -> Response:
    """Check the format, the query and the size, then answer with the streamed tar."""
    name = request.params.get("format", "")
    available = export_formats(request)
    if name not in available:
        raise bad_request(f"Unknown export format {name!r}; this server offers: {', '.join(sorted(available))}.",
                          code="unknown_format", formats=sorted(available))
    include = request.params.get("include_unverified", "false").lower()
    if include not in ("true", "false"):
        raise bad_request("include_unverified must be true or false.", code="invalid_include_unverified")
    text = (request.params.get("q") or "").strip()
    where = query_clause(request, text) if text else None
    most = get_setting(request.registry, "datasets.max_export_images")
    count = request.dbsession.scalar(matching(where, most + 1))
    if count > most:
        raise ApiError(413, "too_many_images",
                       f"The query matches more than {most} images, the most an export streams. Narrow the query, "
                       "download a release (GET /api/v1/releases), or ask a moderator to build a release of this "
                       "query (POST /api/v1/releases with its query).", max_export_images=most)
    filename = f"imagemonkey-export-{name}.tar"
    stream = ExportStream(request.registry, available[name], where, include_unverified=include == "true")
    response = Response(app_iter=stream,
                        content_type="application/x-tar", content_disposition=f'attachment; filename="{filename}"')
    response.cache_control = "no-store"
    return response


TAR = {"application/x-tar": {"schema": {"type": "string", "format": "binary"}}}


class OpenApi:
    """The export's OpenAPI path item."""

    @hookimpl
    def imagemonkey_openapi_paths(self) -> dict[str, Any]:
        """``GET /api/v1/export``."""
        return {PATH: {"get": op(
            "A streamed tar of the public images a query matches, in one export format (up to "
            "datasets.max_export_images; 413 too_many_images past that: build a release)",
            query=[parameter("q", schema={"type": "string", "maxLength": 2000}),
                   parameter("format", required=True),
                   parameter("include_unverified", schema={"type": "string", "enum": ["true", "false"]})],
            ok_content=TAR)}}
