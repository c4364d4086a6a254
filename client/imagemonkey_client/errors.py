"""Typed exceptions for the API's JSON errors: ``{"error": {"code", "message", ...}}``."""
from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any


class ImageMonkeyError(Exception):
    """Any error the client reports; ``code`` is the API's machine code (``"not_found"``, ...).

    ``status`` is the HTTP status (0 when no answer came, e.g. a refused connection), ``details`` the
    error document's other fields (``position`` of a query mistake, ``field``, ``retry_after``...).
    """

    def __init__(self, message: str, *, code: str = "error", status: int = 0,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = details or {}

    def __str__(self) -> str:
        where = f"HTTP {self.status} " if self.status else ""
        return f"{where}{self.code}: {self.message}"


class BadRequest(ImageMonkeyError):
    """400: the request is malformed (e.g. ``query_syntax``, with ``details["position"]``)."""


class Unauthenticated(ImageMonkeyError):
    """401: no token, or one the server does not know (any more)."""


class Forbidden(ImageMonkeyError):
    """403: the token's contributor may not do this (``forbidden``, ``blocked``)."""


class NotFound(ImageMonkeyError):
    """404: no such thing, or one the caller may not see."""


class Conflict(ImageMonkeyError):
    """409: e.g. ``version_exists``, ``conflict``."""


class Gone(ImageMonkeyError):
    """410: e.g. a release file that was ``withdrawn``."""


class TooLarge(ImageMonkeyError):
    """413: e.g. an upload over the limit, or an export of ``too_many_images``."""


class Invalid(ImageMonkeyError):
    """422: well-formed, but a value is not acceptable (``details["field"]`` names it)."""


class RateLimited(ImageMonkeyError):
    """429: too many requests; ``retry_after`` is the server's ``Retry-After`` in seconds."""

    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked to wait, when it said."""
        value = self.details.get("retry_after")
        return float(value) if isinstance(value, int | float) else None


class ServerError(ImageMonkeyError):
    """5xx: the server failed (503 and a ``Retry-After`` is retried first)."""


class TransportError(ImageMonkeyError):
    """No usable answer: the connection failed or broke and retries were used up."""


class IntegrityError(ImageMonkeyError):
    """A downloaded file's sha256 differs from the one the release lists."""


BY_STATUS: dict[int, type[ImageMonkeyError]] = {
    400: BadRequest, 401: Unauthenticated, 403: Forbidden, 404: NotFound, 409: Conflict, 410: Gone,
    413: TooLarge, 422: Invalid, 429: RateLimited,
}


def error_from_answer(status: int, document: Any, headers: Any = None) -> ImageMonkeyError:
    """The typed exception for an error answer (its JSON ``document``, or anything else the server sent)."""
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, dict):
        error = {"code": f"http_{status}", "message": f"The server answered HTTP {status}."}
    details = {key: value for key, value in error.items() if key not in ("code", "message")}
    if headers is not None and "retry_after" not in details and headers.get("Retry-After"):
        seconds = retry_after_seconds(headers.get("Retry-After"))
        if seconds is not None:
            details["retry_after"] = seconds
    kind = BY_STATUS.get(status) or (ServerError if status >= 500 else ImageMonkeyError)
    return kind(str(error.get("message", "")), code=str(error.get("code", f"http_{status}")), status=status,
                details=details)


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header's delay in seconds (delay-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
