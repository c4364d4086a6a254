"""Tweens: URLs that are not UTF-8, CORS for the extension's origins, and rate limits per address and per token."""
from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import Any

from pyramid.response import Response

from . import ratelimit
from .declared_settings import get_setting
from .errors import ApiError

CORS_METHODS = "GET, POST, PUT, DELETE, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type, If-None-Match"


def origin_allowed(origin: str, patterns: list[str]) -> bool:
    """True when ``origin`` matches one of the configured patterns (``*`` wildcards)."""
    return any(fnmatch.fnmatchcase(origin, pattern) for pattern in patterns)


def undecodable_url(request: Any) -> bool:
    """True when the path or the query string does not decode as UTF-8 (WebOb raises on reading either)."""
    try:
        request.path_info  # noqa: B018 -- decoding is the check
        list(request.GET.items())
    except UnicodeDecodeError:
        return True
    return False


def url_check_tween_factory(handler: Callable[[Any], Response], registry: Any) -> Callable[[Any], Response]:
    """Answer a request whose path or query string is not UTF-8 with a 400 JSON error, on every route.

    It runs before anything reads ``request.path_info`` (routing, CORS, rate limits), which would raise. A raw
    ``;`` in the query string is made data (``%3B``) first: only ``&`` separates parameters, so ``?label=a;b``
    names the label ``a;b`` and a cache or proxy that splits on ``&`` alone reads the same parameters.
    """

    def tween(request: Any) -> Response:
        query = request.environ.get("QUERY_STRING", "")
        if ";" in query:  # data, not a separator (WebOb splits on it; Python's parse_qsl stopped in 3.10)
            request.environ["QUERY_STRING"] = query.replace(";", "%3B")
        if undecodable_url(request):
            return Response(status=400, json_body={"error": {
                "code": "invalid_url", "message": "The URL's path and query string must be UTF-8 (percent-encoded)."}})
        return handler(request)

    return tween


def cors_tween_factory(handler: Callable[[Any], Response], registry: Any) -> Callable[[Any], Response]:
    """Answer preflights and add CORS headers for allowed origins on ``/api/``."""
    patterns = get_setting(registry, "imagemonkey.cors_origins")

    def tween(request: Any) -> Response:
        origin = request.headers.get("Origin")
        allowed = bool(origin) and request.path_info.startswith("/api/") and origin_allowed(origin, patterns)
        if allowed and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = Response(status=204)
            response.headers.update({"Access-Control-Allow-Methods": CORS_METHODS,
                                     "Access-Control-Allow-Headers": CORS_HEADERS,
                                     "Access-Control-Max-Age": "600"})
        else:
            response = handler(request)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "ETag, Retry-After"
            response.vary = tuple(sorted(set(response.vary or ()) | {"Origin"}))
        return response

    return tween


def rate_limit_tween_factory(handler: Callable[[Any], Response], registry: Any) -> Callable[[Any], Response]:
    """Limit ``/api/`` requests per address, and writes per token."""
    settings = registry.settings
    per_address = ratelimit.limiter_from_setting(settings["imagemonkey.rate_limit.requests"], registry, "requests")
    per_token = ratelimit.limiter_from_setting(settings["imagemonkey.rate_limit.writes"], registry, "writes")
    registry["trust_forwarded_for"] = get_setting(registry, "imagemonkey.trust_forwarded_for")

    def tween(request: Any) -> Response:
        if request.path_info.startswith("/api/"):
            try:
                checks = [(per_address, ratelimit.client_address(request), "requests from this address")]
                key = ratelimit.token_key(request)
                if key and request.method not in ("GET", "HEAD", "OPTIONS"):
                    checks.append((per_token, key, "writes with this token"))
                ratelimit.check_all(request, checks)
            except ApiError as exc:
                return request.invoke_exception_view((type(exc), exc, None))
        return handler(request)

    return tween


def includeme(config: Any) -> None:
    """Install the tweens: the URL check right under the security headers, then CORS (so even a 429 carries CORS
    headers) and the rate limits."""
    config.include(".security")
    config.add_tween("imagemonkey.tweens.url_check_tween_factory",
                     under="imagemonkey.security.security_headers_tween_factory",
                     over="imagemonkey.security.body_cap_tween_factory")
    config.add_tween("imagemonkey.tweens.cors_tween_factory", under="imagemonkey.security.body_cap_tween_factory")
    config.add_tween("imagemonkey.tweens.rate_limit_tween_factory", under="imagemonkey.tweens.cors_tween_factory")
