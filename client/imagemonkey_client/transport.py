"""HTTP with retries: 429/503 wait for ``Retry-After`` (else back off); broken connections retry idempotent calls."""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

import requests

from .errors import ImageMonkeyError, TransportError, error_from_answer, retry_after_seconds

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 503})
CONNECTION_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class Transport:
    """Sends requests to one server and turns error answers into typed exceptions.

    ``retries`` is how many times one call is tried again; ``backoff`` the first wait (doubling, with jitter)
    when the server gave no ``Retry-After``; a ``Retry-After`` above ``max_wait`` seconds is not waited for
    (the typed error is raised at once). ``sleep`` is the function that waits (``time.sleep``).
    """

    def __init__(self, base_url: str, *, retries: int = 4, backoff: float = 0.5, max_wait: float = 120.0,
                 timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                 session: requests.Session | None = None, user_agent: str = "imagemonkey-client") -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.timeout = timeout
        self.sleep = sleep
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent

    def url(self, path: str) -> str:
        """The absolute URL of an API ``path`` (an absolute URL is kept as it is)."""
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def backoff_delay(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (0-based) when the server did not say how long."""
        return self.backoff * (2 ** attempt) * (0.5 + random.random() / 2)

    def request(self, method: str, path: str, *, token: str | None = None, stream: bool = False,
                ok: tuple[int, ...] = (), **kwargs: Any) -> requests.Response:
        """Send the request, retrying as described; a 4xx/5xx answer not in ``ok`` raises its typed error."""
        method = method.upper()
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        attempt = 0
        while True:
            try:
                answer = self.session.request(method, self.url(path), headers=headers, stream=stream,
                                              timeout=self.timeout, **kwargs)
            except CONNECTION_ERRORS as exc:
                if method not in IDEMPOTENT or attempt >= self.retries:
                    raise TransportError(f"{method} {path} failed: {exc}", code="connection_failed") from exc
                self.sleep(self.backoff_delay(attempt))
                attempt += 1
                continue
            if answer.status_code < 400 or answer.status_code in ok:
                return answer
            error = self.error_of(answer)
            wait = self.wait_for(answer, attempt)
            if wait is None:
                raise error
            self.sleep(wait)
            attempt += 1

    def wait_for(self, answer: requests.Response, attempt: int) -> float | None:
        """How long to wait before trying ``answer``'s request again, or None when it is not retried."""
        if answer.status_code not in RETRY_STATUSES or attempt >= self.retries:
            return None
        told = retry_after_seconds(answer.headers.get("Retry-After"))
        if told is None:
            return self.backoff_delay(attempt)
        return told if told <= self.max_wait else None

    @staticmethod
    def error_of(answer: requests.Response) -> ImageMonkeyError:
        """The typed exception for an error answer (its body read and the connection released)."""
        try:
            document = answer.json()
        except ValueError:
            document = None
        finally:
            answer.close()
        return error_from_answer(answer.status_code, document, answer.headers)
