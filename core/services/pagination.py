"""Keyset pagination: bounded ``limit`` and an opaque ``cursor``."""
from __future__ import annotations

import base64
import json
from typing import Any

from ..errors import bad_request

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def read_limit(request: Any, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    """``?limit=`` as an int within 1..maximum, or a 400."""
    raw = request.params.get("limit")
    if raw is None:
        return default
    try:
        limit = int(raw)
    except ValueError:
        raise bad_request("limit must be an integer.", code="invalid_limit") from None
    if not 1 <= limit <= maximum:
        raise bad_request(f"limit must be between 1 and {maximum}.", code="invalid_limit")
    return limit


def encode_cursor(value: Any) -> str:
    """An opaque cursor for ``value``."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def read_cursor(request: Any) -> Any:
    """The value inside ``?cursor=``, or None; a malformed cursor is a 400."""
    raw = request.params.get("cursor")
    if not raw:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except ValueError:
        raise bad_request("The cursor is not one this server gave out.", code="invalid_cursor") from None
