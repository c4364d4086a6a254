"""Tweens: CORS for the extension's origins, and rate limits per address and per token."""
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
    """Install the tweens (CORS outermost, so even a 429 carries CORS headers)."""
    config.include(".security")
    config.add_tween("imagemonkey.tweens.cors_tween_factory", under="imagemonkey.security.body_cap_tween_factory")
    config.add_tween("imagemonkey.tweens.rate_limit_tween_factory", under="imagemonkey.tweens.cors_tween_factory")
