"""Exception views: every ``/api/`` error is the JSON error body, never HTML or a traceback."""
from __future__ import annotations

import logging
from typing import Any

from pyramid.httpexceptions import HTTPException, HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.view import exception_view_config, notfound_view_config
from pyramid_retry import is_error_retryable

from ..errors import ApiError

log = logging.getLogger(__name__)


def _json_error(request: Any, status: int, code: str, message: str, headers: dict[str, str] | None = None,
                **extra: Any) -> Any:
    response = request.response
    response.status_int = status
    response.content_type = "application/json"
    response.json_body = {"error": {"code": code, "message": message, **extra}}
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


@exception_view_config(ApiError)
def api_error_view(exc: ApiError, request: Any) -> Any:
    """Render an :class:`ApiError` (a 404 raised while rendering a page shows the site's page)."""
    if exc.status == 404 and not request.path.startswith("/api/"):
        return not_found_view(request)
    return _json_error(request, exc.status, exc.code, exc.message, exc.headers, **exc.extra)


@notfound_view_config()
def not_found_view(request: Any) -> Any:
    """404: JSON under ``/api/``, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return _json_error(request, 404, "not_found", f"There is nothing at {request.path}.")
    request.response.status_int = 404
    return render_to_response("imagemonkey:templates/not_found.jinja2", {"title": "Not found"}, request=request,
                              response=request.response)


@exception_view_config(HTTPException)
def http_exception_view(exc: HTTPException, request: Any) -> Any:
    """Other HTTP exceptions (raised by Pyramid itself) as JSON under ``/api/``."""
    if isinstance(exc, HTTPNotFound):
        return not_found_view(request)
    if not request.path.startswith("/api/"):
        return exc
    code = exc.title.lower().replace(" ", "_")
    return _json_error(request, exc.code, code, exc.explanation or exc.title)


@exception_view_config(Exception)
def unexpected_error_view(exc: Exception, request: Any) -> Any:
    """Anything unexpected: logged with its traceback, answered as a plain 500."""
    if is_error_retryable(request, exc):  # pyramid_retry runs the request again and discards this answer
        log.warning("retrying %s %s after %r", request.method, request.path, exc)
    else:
        log.exception("unexpected error on %s %s", request.method, request.path)
    if request.path.startswith("/api/"):
        return _json_error(request, 500, "internal_error", "Something went wrong on the server; it has been logged.")
    request.response.status_int = 500
    return render_to_response("imagemonkey:templates/error.jinja2", {"title": "Error"}, request=request,
                              response=request.response)
