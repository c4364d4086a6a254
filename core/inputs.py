"""Checks for text and numbers from clients that the database or Python would otherwise choke on.

- Numbers in URLs and query strings are ASCII digits only: ``str.isdigit`` and ``int`` also take
  ``²``, ``٣`` or ``１`` (which then fail later, or silently mean 3).
- Text may hold no NUL (PostgreSQL refuses it in text columns) and no lone UTF-16 surrogate
  (``"\\ud800"`` in JSON decodes to a ``str`` that cannot be encoded as UTF-8).
- Text from clients (:func:`check_text`) holds no control character (Unicode category Cc: tab, escape,
  DEL, NEL...) but newlines (LF, CR), and no line or paragraph separator (Zl, Zp); a single-line
  field (:func:`check_line`) holds no newline either.
- Integers compared with or stored in the database (ids, cursors, revision numbers) fit its
  signed 32-bit integer columns (:data:`MAX_INT32`): PostgreSQL refuses larger ones with an error.
"""
from __future__ import annotations

import re
from typing import Any

from .errors import ApiError, invalid

MAX_INT32 = 2**31 - 1
ASCII_DIGITS = re.compile(r"[0-9]{1,18}")
FORBIDDEN_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
#: Category Cc (U+0000..U+001F, U+007F..U+009F), Zl (U+2028), Zp (U+2029) and lone surrogates.
NOT_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: The same but LF and CR: multi-line text.
NOT_IN_TEXT = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def ascii_int(raw: str) -> int | None:
    """``raw`` as a non-negative int when it is 1 to 18 ASCII digits, else None."""
    return int(raw) if isinstance(raw, str) and ASCII_DIGITS.fullmatch(raw) else None


def bad_text(value: str) -> bool:
    """True when ``value`` holds a NUL or a lone surrogate."""
    return FORBIDDEN_CHARACTERS.search(value) is not None


def _refuse(value: str, field: str, pattern: re.Pattern[str], allowed: str) -> str:
    found = pattern.search(value)
    if found is not None:
        raise invalid(f"{field} holds U+{ord(found.group()):04X} at position {found.start()}: no control "
                      f"characters, line or paragraph separators or lone surrogates{allowed}.",
                      field=field, code="invalid_text")
    return value


def check_text(value: str, field: str) -> str:
    """``value`` unchanged, or a 422 ``invalid_text`` naming ``field`` when it holds a control character
    (Unicode Cc) other than LF or CR, a line or paragraph separator (Zl, Zp) or a lone surrogate."""
    return _refuse(value, field, NOT_IN_TEXT, " (newlines are fine)")


def check_line(value: str, field: str) -> str:
    """``value`` unchanged, or a 422 ``invalid_text`` naming ``field`` when it holds any control character
    (Unicode Cc, newlines included), a line or paragraph separator (Zl, Zp) or a lone surrogate."""
    return _refuse(value, field, NOT_IN_LINE, " (one line only)")


def check_json_text(document: Any) -> Any:
    """``document`` unchanged when no string in it (keys included) is bad text; else a 422 (iterative: any depth)."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            check_text(value, "body")
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return document


def bounded_int(value: Any, field: str, *, minimum: int = 1, maximum: int = MAX_INT32) -> int:
    """A JSON integer (never a bool) within ``minimum..maximum``, or a 422 naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise invalid(f"{field} must be an integer from {minimum} to {maximum}.", field=field)
    return value


def query_error(message: str) -> ApiError:
    """400 for a query string that cannot be read."""
    return ApiError(400, "invalid_query", message)
