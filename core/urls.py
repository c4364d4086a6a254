"""Links in API answers: relative paths, or absolute ones under ``imagemonkey.public_url`` — never the Host header.

A client may send any ``Host``; copying it into answers lets anyone who can make a cache or a
client store one answer point image links at their own server. By default links are paths
(``/api/v1/images/1/file?size=thumb``) that clients resolve against the server they asked;
an operator who wants absolute links sets ``imagemonkey.public_url = https://images.example.org``.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def check_public_url(value: str) -> str:
    """The setting without its trailing slash; '' (relative links) or an http(s) URL without query, else ValueError."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"imagemonkey.public_url must be an http(s) URL such as https://images.example.org, "
                         f"not {value!r}")
    return value.rstrip("/")


def public_route_url(request: Any, route_name: str, **kw: Any) -> str:
    """The link to a route: its path, prefixed with ``imagemonkey.public_url`` when that is set."""
    return request.registry.settings["imagemonkey.public_url"] + request.route_path(route_name, **kw)


def image_page_url(request: Any, image_id: int | str) -> str:
    """The link to image ``image_id``'s page (``/images/{id}``, under ``imagemonkey.public_url`` when set).

    Stable: plugins link to an image's page with this rather than spelling the path or naming core's route.
    """
    return public_route_url(request, "image_page", id=str(image_id))
