"""``GET /api/v1/export?q=QUERY&format=F``: what a query matches, streamed as one tar in a format's layout.

Up to ``datasets.max_export_images`` public images; past that a 413 ``too_many_images`` that points to
building a release. The archive is streamed by :mod:`.export_stream` (bounded memory, first bytes at once);
at most ``datasets.max_concurrent_exports`` stream at once per process (each holds a server thread), so
exports never take every thread from the API: past that a 503 ``export_busy`` with ``Retry-After``.
"""
from __future__ import annotations

import threading
from typing import Any

from pyramid.response import Response
from sqlalchemy import func, select

from imagemonkey.plugin import (
    ApiError,
    Image,
    Setting,
    as_int,
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


SLOTS = "datasets.export_slots"
BUSY_RETRY_SECONDS = 5
SETTINGS = [Setting("datasets.max_concurrent_exports", 2, as_int(min=1, max=64),
                    "Exports one process streams at once (each holds a server thread); more answer 503 "
                    "export_busy with Retry-After.")]


def includeme(config: Any) -> None:
    """The export's setting, route, view, exporters and OpenAPI entry."""
    from . import export_formats

    config.declare_settings(SETTINGS)
    config.registry[SLOTS] = threading.BoundedSemaphore(get_setting(config.registry, "datasets.max_concurrent_exports"))
    config.add_api_route(ROUTE, PATH)
    config.add_view(export_view, route_name=ROUTE, request_method="GET")
    config.add_hooks(OpenApi(config.registry), name="datasets.export")
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
    slots = request.registry[SLOTS]
    if not slots.acquire(blocking=False):
        raise ApiError(503, "export_busy", "Other exports are streaming right now; try again in a few seconds.",
                       headers={"Retry-After": str(BUSY_RETRY_SECONDS)}, retry_after=BUSY_RETRY_SECONDS)
    filename = f"imagemonkey-export-{name}.tar"
    stream = ExportStream(request.registry, available[name], where, include_unverified=include == "true",
                          on_close=slots.release)
    response = Response(app_iter=stream,
                        content_type="application/x-tar", content_disposition=f'attachment; filename="{filename}"')
    response.cache_control = "no-store"
    return response


TAR = {"application/x-tar": {"schema": {"type": "string", "format": "binary"}}}


class OpenApi:
    """The export's OpenAPI path item; ``format`` lists the app's exporters (known once every plugin is loaded)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry

    @hookimpl
    def imagemonkey_openapi_paths(self) -> dict[str, Any]:
        """``GET /api/v1/export``."""
        formats = {"type": "string", "enum": sorted(export_formats(self.registry))}
        return {PATH: {"get": op(
            "A streamed tar of the public images a query matches, in one export format (up to "
            "datasets.max_export_images; 413 too_many_images past that: build a release)",
            query=[parameter("q", schema={"type": "string", "maxLength": 2000}),
                   parameter("format", required=True, schema=formats),
                   parameter("include_unverified", schema={"type": "string", "enum": ["true", "false"]})],
            ok_content=TAR)}}
