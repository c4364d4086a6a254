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
- A multipart body is read only with a boundary and in UTF-8 (:func:`multipart_form`): WebOb raises
  on any other declared charset, and the standard library's parser on a missing boundary.
"""
from __future__ import annotations

import re
from email.message import Message
from typing import Any

from .errors import ApiError, bad_request, invalid

MAX_INT32 = 2**31 - 1
ASCII_DIGITS = re.compile(r"[0-9]{1,18}")
FORBIDDEN_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
#: Category Cc (U+0000..U+001F, U+007F..U+009F), Zl (U+2028), Zp (U+2029) and lone surrogates.
NOT_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: The same but LF and CR: multi-line text.
NOT_IN_TEXT = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
UTF8_CHARSETS = ("utf-8", "utf8", "us-ascii", "ascii")
#: An http(s) URL as a donation's ``source_url`` and ``page_url`` take it; the OpenAPI document states this very
#: pattern, so what one calls valid the other takes (a host of RFC 3986 characters, then no space or control).
HTTP_URL_PATTERN = "^https?://[A-Za-z0-9._~%!$&'()*+,;=:@-]+([/?#][^\\u0000-\\u0020\\u007f]*)?$"
HTTP_URL = re.compile(HTTP_URL_PATTERN)
MAX_URL_LENGTH = 2048
#: Python's whitespace (``str.split``): a label name is folded by collapsing it and lower-casing.
_WHITESPACE = "\\u0009-\\u000d\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
#: What a label name never holds: what :func:`check_line` refuses (Cc, Zl, Zp), and U+0130 (the one character whose
#: lower case is longer, so a name never grows when folded).
_NOT_IN_NAME = "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u0130"
#: A label name as clients send it (the OpenAPI document states this very pattern): something besides whitespace.
LABEL_NAME_PATTERN = f"^[^{_NOT_IN_NAME}]*[^{_NOT_IN_NAME}{_WHITESPACE}][^{_NOT_IN_NAME}]*$"
LABEL_NAME = re.compile(LABEL_NAME_PATTERN)


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


def multipart_form(request: Any) -> Any:
    """The fields of a ``multipart/form-data`` body (``request.POST``), or a 400 ``malformed_multipart``.

    The caller has checked that the media type is ``multipart/form-data``; here it must name a
    non-empty ``boundary`` and no charset other than UTF-8, and its body must parse.
    """
    header = Message()
    header["Content-Type"] = request.headers.get("Content-Type", "")
    if not header.get_param("boundary"):
        raise bad_request("multipart/form-data needs a boundary parameter.", code="malformed_multipart")
    charset = header.get_content_charset()
    if charset is not None and charset not in UTF8_CHARSETS:
        raise bad_request(f"multipart/form-data must be UTF-8, not {charset[:40]!r}.", code="malformed_multipart")
    try:
        return request.POST
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise bad_request(f"The multipart body cannot be read: {exc}", code="malformed_multipart") from None
