"""The guarded server's own answers: JSON errors with the security headers every other answer carries.

waitress writes its 400 and 413 itself, before the app sees the request; :class:`JsonErrorTask` gives
them the API's body ``{"error": {"code", "message"}}`` and the headers of :mod:`imagemonkey.security`.
The 503 answers are whole responses, written straight to a socket the guard is about to close.
"""
from __future__ import annotations

import json

from waitress.task import ErrorTask

from .security import SECURITY_HEADERS

ERROR_CODES = {400: "bad_request", 408: "request_timeout", 413: "too_large", 431: "headers_too_large",
               501: "not_implemented"}


def busy_response(code: str, message: str) -> bytes:
    """A whole 503 answer with ``Retry-After``, sent straight to the socket before closing it."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = "".join(f"{name}: {value}\r\n" for name, value in SECURITY_HEADERS.items())
    return (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n{headers}"
            f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


BUSY_RESPONSE = busy_response("too_many_connections", "This address holds too many open connections; retry later.")
UPLOADS_BUSY_RESPONSE = busy_response("too_many_uploads",
                                      "Too many requests are still sending their bodies; retry later.")


class JsonErrorTask(ErrorTask):
    """waitress's error answers (400, 413, ...) as the API's JSON error body."""

    def execute(self) -> None:
        error = self.request.error
        body = json.dumps({"error": {"code": ERROR_CODES.get(error.code, "bad_request"),
                                     "message": f"{error.reason}: {error.body}"}}).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.response_headers.extend(SECURITY_HEADERS.items())
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)
