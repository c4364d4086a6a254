"""Keyset pagination: bounded ``limit`` and an opaque ``cursor``."""
from __future__ import annotations

import base64
import json
from typing import Any

from ..errors import ApiError, bad_request
from ..inputs import MAX_INT32, ascii_int

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_CURSOR = 200


def read_limit(request: Any, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    """``?limit=`` as an int within 1..maximum, or a 400."""
    raw = request.params.get("limit")
    if raw is None:
        return default
    limit = ascii_int(raw)
    if limit is None or not 1 <= limit <= maximum:
        raise bad_request(f"limit must be between 1 and {maximum}.", code="invalid_limit")
    return limit


def encode_cursor(value: Any) -> str:
    """An opaque cursor for ``value``."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def read_cursor(request: Any, items: int = 0) -> Any:
    """The value inside ``?cursor=``, or None; anything but what the server gives out is a 400.

    Cursors hold an integer within the id and counter columns (0..2^31-1; ``items`` 0) or a list of ``items``
    of them.
    """
    raw = request.params.get("cursor")
    if not raw:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(raw[:MAX_CURSOR] + "=" * (-len(raw) % 4)))
    except (ValueError, RecursionError):
        raise invalid_cursor() from None
    values = value if items and isinstance(value, list) and len(value) == items else [value]
    if len(raw) > MAX_CURSOR or (items and values is not value) or not all(map(_cursor_int, values)):
        raise invalid_cursor()
    return value


def _cursor_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT32


def invalid_cursor() -> ApiError:
    """400 ``invalid_cursor``."""
    return bad_request("The cursor is not one this server gave out.", code="invalid_cursor")
