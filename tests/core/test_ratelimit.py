"""Rate limits (per address on new clients, per token on writes, per address on requests) and CORS."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp

from imagemonkey.testing import auth, new_client

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def assert_rate_limited(answer: Any) -> None:
    assert answer.status_int == 429
    assert answer.json["error"]["code"] == "rate_limited"
    retry = int(answer.headers["Retry-After"])
    assert 1 <= retry <= 60
    assert answer.json["error"]["retry_after"] == retry


def test_new_clients_per_address(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.rate_limit.clients": "2/minute"})
    app.post("/api/v1/clients", status=201)
    app.post("/api/v1/clients", status=201)
    assert_rate_limited(app.post("/api/v1/clients", status=429))
    app.post("/api/v1/clients", extra_environ={"REMOTE_ADDR": "10.0.0.2"}, status=201)


def test_forwarded_for_only_when_trusted(app_factory: Callable[..., TestApp]) -> None:
    untrusted = app_factory(**{"imagemonkey.rate_limit.clients": "1/minute"})
    untrusted.post("/api/v1/clients", headers={"X-Forwarded-For": "1.1.1.1"}, status=201)
    untrusted.post("/api/v1/clients", headers={"X-Forwarded-For": "2.2.2.2"}, status=429)
    trusted = app_factory(**{"imagemonkey.rate_limit.clients": "1/minute",
                             "imagemonkey.trust_forwarded_for": "true"})
    trusted.post("/api/v1/clients", headers={"X-Forwarded-For": "1.1.1.1"}, status=201)
    trusted.post("/api/v1/clients", headers={"X-Forwarded-For": "2.2.2.2"}, status=201)
    trusted.post("/api/v1/clients", headers={"X-Forwarded-For": "1.1.1.1"}, status=429)
    # the proxy appends the address it saw; what the client wrote before it is not trusted
    trusted.post("/api/v1/clients", headers={"X-Forwarded-For": "9.9.9.9, 2.2.2.2"}, status=429)
    trusted.post("/api/v1/clients", headers={"X-Forwarded-For": "2.2.2.2, "}, status=429)  # empty parts skipped
    trusted.post("/api/v1/clients", headers={"X-Forwarded-For": "2.2.2.2, 3.3.3.3"}, status=201)


def test_writes_per_token(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.rate_limit.writes": "2/minute"})
    token, other = new_client(app), new_client(app)
    for _ in range(2):
        app.post_json("/api/v1/label-suggestions", {"name": "flying saucer"}, headers=auth(token), status=201)
    limited = app.post_json("/api/v1/label-suggestions", {"name": "flying saucer"}, headers=auth(token), status=429)
    assert_rate_limited(limited)
    app.get("/api/v1/me", headers=auth(token), status=200)  # reads are not writes
    app.post_json("/api/v1/label-suggestions", {"name": "flying saucer"}, headers=auth(other), status=201)
    counts = app.get("/api/v1/label-suggestions").json["suggestions"]
    assert counts == [{"name": "flying saucer", "usage_count": 3}]  # the limited write did nothing


def test_requests_per_address(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.rate_limit.requests": "3/minute"})
    for _ in range(3):
        app.get("/api/v1/info", status=200)
    assert_rate_limited(app.get("/api/v1/labels", status=429))
    app.get("/api/v1/info", extra_environ={"REMOTE_ADDR": "10.0.0.9"}, status=200)
    app.get("/", status=200)  # pages are not API requests


def test_rate_limit_answer_carries_cors_headers(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.rate_limit.requests": "1/minute"})
    app.get("/api/v1/info", headers={"Origin": EXTENSION})
    limited = app.get("/api/v1/info", headers={"Origin": EXTENSION}, status=429)
    assert limited.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert "Retry-After" in limited.headers["Access-Control-Expose-Headers"]


def test_bad_rate_setting_fails_at_start_up(app_factory: Callable[..., TestApp]) -> None:
    with pytest.raises(ValueError, match="bad rate"):
        app_factory(**{"imagemonkey.rate_limit.writes": "lots/fortnight"})


@pytest.mark.parametrize("origin", [EXTENSION, "moz-extension://1234-5678"])
def test_cors_preflight_for_extension_origins(app: TestApp, origin: str) -> None:
    answer = app.options("/api/v1/images", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "authorization"}, status=204)
    assert answer.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in answer.headers["Access-Control-Allow-Headers"]
    assert "Origin" in answer.headers["Vary"]
    simple = app.get("/api/v1/info", headers={"Origin": origin})
    assert simple.headers["Access-Control-Allow-Origin"] == origin


@pytest.mark.parametrize("origin", ["https://evil.example", "chrome-extension-evil://x", "null"])
def test_cors_refused_for_other_origins(app: TestApp, origin: str) -> None:
    answer = app.options("/api/v1/images", headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
                         expect_errors=True)
    assert answer.status_int != 204
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert "Access-Control-Allow-Origin" not in app.get("/api/v1/info", headers={"Origin": origin}).headers


def test_cors_origins_setting(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.cors_origins": "https://dataset.example"})
    allowed = app.get("/api/v1/info", headers={"Origin": "https://dataset.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://dataset.example"
    assert "Access-Control-Allow-Origin" not in app.get("/api/v1/info", headers={"Origin": EXTENSION}).headers
