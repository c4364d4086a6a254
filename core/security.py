"""Tweens that protect every answer: security headers on all responses, and the body cap in JSON.

- ``Content-Security-Policy`` allows scripts, styles, images and fetches from this origin only,
  no plugins (``object-src``), no framing (``frame-ancestors``); pages therefore carry no inline
  script or ``on...=`` handler: their JavaScript lives in static files. ``X-Frame-Options: DENY``
  (for browsers without CSP frame-ancestors) and ``X-Content-Type-Options: nosniff`` go with it.
- A request under ``/api/`` whose ``Content-Length`` exceeds ``imagemonkey.max_upload_bytes``
  (plus the multipart allowance) is answered 413 in JSON before its body is read, whatever
  the route; ``imagemonkey serve`` lets waitress take bodies up to twice the cap, so this is
  the answer clients see (and waitress's own, further out, is JSON too: :mod:`imagemonkey.server`).
- A query string under ``/api/`` that is not UTF-8 or holds NUL or a lone surrogate is a 400.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyramid.response import Response
from pyramid.tweens import INGRESS

from .errors import ApiError
from .inputs import bad_text, query_error

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Frame-Options": "DENY",
                    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
#: Room for the multipart framing and the small fields next to the image.
MULTIPART_ALLOWANCE = 64 * 1024


def too_large(limit: int) -> ApiError:
    """413 with the limit in the message."""
    return ApiError(413, "too_large", f"The body is larger than this server accepts ({limit // (1024 * 1024)} MiB).",
                    max_upload_bytes=limit)


def security_headers_tween_factory(handler: Callable[[Any], Response], registry: Any) -> Callable[[Any], Response]:
    """Add :data:`SECURITY_HEADERS` to every response (pages, API, static files, errors)."""

    def tween(request: Any) -> Response:
        response = handler(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return tween


def body_cap_tween_factory(handler: Callable[[Any], Response], registry: Any) -> Callable[[Any], Response]:
    """Answer an ``/api/`` request with a body over the cap with a JSON 413, unread."""
    limit = int(registry.settings["imagemonkey.max_upload_bytes"])

    def tween(request: Any) -> Response:
        length = request.content_length
        if length is not None and length > limit + MULTIPART_ALLOWANCE and request.path_info.startswith("/api/"):
            exc = too_large(limit)
            return request.invoke_exception_view((type(exc), exc, None))
        return handler(request)

    return tween


def query_check_tween_factory(handler: Callable[[Any], Response], registry: Any) -> Callable[[Any], Response]:
    """Answer an ``/api/`` request whose query string is not UTF-8, or holds NUL or a lone surrogate, with a 400."""

    def tween(request: Any) -> Response:
        if request.query_string and request.path_info.startswith("/api/"):
            try:
                broken = any(bad_text(key) or bad_text(value) for key, value in request.GET.items())
            except UnicodeDecodeError:
                broken = True
            if broken:
                exc = query_error("The query string must be UTF-8 text without NUL characters.")
                return request.invoke_exception_view((type(exc), exc, None))
        return handler(request)

    return tween


def includeme(config: Any) -> None:
    """Security headers outermost (even a CORS preflight or a 429 gets them), the body cap and query check next."""
    config.add_tween("imagemonkey.security.security_headers_tween_factory", under=INGRESS)
    config.add_tween("imagemonkey.security.body_cap_tween_factory",
                     under="imagemonkey.security.security_headers_tween_factory")
    config.add_tween("imagemonkey.security.query_check_tween_factory",
                     under="imagemonkey.security.body_cap_tween_factory")
