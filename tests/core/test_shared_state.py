"""Per-site state shared by several processes through Redis: rate limits and the identity cache's invalidation."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from jobs_support import redis_settings
from webtest import TestApp

from imagemonkey.liveserver import LiveServer
from imagemonkey.ratelimit import RateLimiter, SharedRateLimiter
from imagemonkey.testing import Databases, auth, new_client, new_moderator


def post_client(base_url: str) -> int:
    """POST /api/v1/clients on a live server; its status code."""
    request = urllib.request.Request(f"{base_url}/api/v1/clients", data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        assert error.code != 429 or json.load(error)["error"]["code"] == "rate_limited"
        return int(error.code)


def test_two_serve_processes_share_the_clients_limit(tmp_path: Path, test_databases: Databases) -> None:
    """5 clients/hour for the whole site: the 6th is refused whichever of the two processes it reaches."""
    settings = {**redis_settings(), "sqlalchemy.url": test_databases.url_for((), tmp_path),
                "imagemonkey.rate_limit.clients": "5/hour", "imagemonkey.jobs.workers": "0",
                "imagemonkey.moderation": "post"}
    ini = tmp_path / "site.ini"
    ini.write_text("[app:main]\nuse = egg:imagemonkey\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
    servers = [LiveServer(tmp_path / name, args=["--config", str(ini)]) for name in ("one", "two")]
    try:
        statuses = [post_client(servers[n % 2].url) for n in range(5)]
        assert statuses == [201] * 5
        assert [post_client(server.url) for server in servers] == [429, 429]
    finally:
        for server in servers:
            server.stop()


def test_embedded_default_keeps_limits_in_the_process(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.rate_limit.clients": "2/hour"})
    assert app.app.registry["shared_state"] is None
    assert isinstance(app.app.registry["clients_limiter"], RateLimiter)
    new_client(app), new_client(app)
    assert app.post("/api/v1/clients", status=429).json["error"]["code"] == "rate_limited"


def test_local_setting_keeps_state_in_the_process_despite_a_redis_queue(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**redis_settings(), **{"imagemonkey.shared_state": "local",
                                             "imagemonkey.rate_limit.clients": "2/hour"})
    assert app.app.registry["shared_state"] is None
    assert isinstance(app.app.registry["clients_limiter"], RateLimiter)


def test_a_bad_shared_state_setting_is_refused(app_factory: Callable[..., TestApp]) -> None:
    with pytest.raises(ValueError, match="imagemonkey.shared_state"):
        app_factory(**{"imagemonkey.shared_state": "memcached://127.0.0.1"})


def test_two_apps_on_one_redis_share_limits_and_retry_after(app_factory: Callable[..., TestApp]) -> None:
    shared = {**redis_settings(), "imagemonkey.rate_limit.clients": "3/hour"}
    one = app_factory(**shared)
    two = app_factory(**shared, **{"sqlalchemy.url": one.app.registry.settings["sqlalchemy.url"]})
    assert isinstance(one.app.registry["clients_limiter"], SharedRateLimiter)
    new_client(one), new_client(two), new_client(one)
    refused = two.post("/api/v1/clients", status=429)
    assert refused.json["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 1200  # 3/hour: one token comes back every 20 minutes
    one.post("/api/v1/clients", status=429)


def test_a_revert_on_one_process_is_refused_by_the_other_at_once(app_factory: Callable[..., TestApp]) -> None:
    shared = {**redis_settings(), "imagemonkey.token_cache_seconds": "3600"}
    one = app_factory(**shared)
    two = app_factory(**shared, **{"sqlalchemy.url": one.app.registry.settings["sqlalchemy.url"]})
    moderator = new_moderator(one)
    vandal = new_client(two)
    me = two.get("/api/v1/me", headers=auth(vandal)).json  # now in two's identity cache, for an hour
    one.post(f"/api/v1/contributors/{me['id']}/revert", headers=auth(moderator))
    answer = two.get("/api/v1/me", headers=auth(vandal), status=403)
    assert answer.json["error"]["code"] == "blocked"


def test_the_writes_limit_per_token_holds_across_apps(app_factory: Callable[..., TestApp]) -> None:
    shared = {**redis_settings(), "imagemonkey.rate_limit.writes": "2/hour",
              "imagemonkey.rate_limit.requests": "1000/minute"}
    one = app_factory(**shared)
    two = app_factory(**shared, **{"sqlalchemy.url": one.app.registry.settings["sqlalchemy.url"]})
    token = new_client(one)
    suggest = {"name": "a brand new thing"}
    one.post_json("/api/v1/label-suggestions", suggest, headers=auth(token), status=201)
    two.post_json("/api/v1/label-suggestions", suggest, headers=auth(token), status="2*")
    refused = one.post_json("/api/v1/label-suggestions", suggest, headers=auth(token), status=429)
    assert "writes with this token" in refused.json["error"]["message"]
    assert two.get("/api/v1/me", headers=auth(token)).status_int == 200  # reads are not writes
    other = new_client(two)  # another token has its own bucket
    two.post_json("/api/v1/label-suggestions", suggest, headers=auth(other), status="2*")
