"""Errors that answer with the JSON body of the API contract.

Every `/api/` error is ``{"error": {"code": ..., "message": ...}}`` plus optional
extra fields. Code anywhere (views, hooks, services) raises :class:`ApiError`; the
exception views in :mod:`imagemonkey.views.errors` render it.
"""
from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error a client can act on, rendered as a JSON error body."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON document sent to the client."""
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


def bad_request(message: str, *, code: str = "bad_request", **extra: Any) -> ApiError:
    """400: the request itself is malformed."""
    return ApiError(400, code, message, **extra)


def invalid(message: str, *, field: str | None = None, code: str = "invalid", **extra: Any) -> ApiError:
    """422: well-formed, but a value is not acceptable."""
    if field is not None:
        extra["field"] = field
    return ApiError(422, code, message, **extra)


def not_found(what: str = "resource") -> ApiError:
    """404 for anything unknown or not visible to the caller."""
    return ApiError(404, "not_found", f"No such {what}.")


def unauthenticated(message: str = "This needs a token: send 'Authorization: Bearer <token>'.") -> ApiError:
    """401: no token or an unknown one."""
    return ApiError(401, "unauthenticated", message)


def forbidden(message: str = "Your role does not allow this.", *, code: str = "forbidden") -> ApiError:
    """403: the caller is known but may not do this."""
    return ApiError(403, code, message)


def conflict(message: str, **extra: Any) -> ApiError:
    """409: the resource changed in between."""
    return ApiError(409, "conflict", message, **extra)
