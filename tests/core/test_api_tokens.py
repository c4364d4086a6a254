"""Named API tokens, scopes on writes, expiry, revocation, log out everywhere and password change, through HTTP."""
from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.models import Token
from imagemonkey.models.types import utcnow
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_account

PASSWORD = "plum-harbor-quietly-77"


def make(app: TestApp, session: str, scopes: list[str], status: int = 201, **extra: Any) -> Any:
    return app.post_json("/api/v1/me/tokens", {"name": "script", "scopes": scopes, **extra}, headers=auth(session),
                         status=status).json


@pytest.fixture
def session(app: TestApp) -> str:
    return new_account(app, "tess", "contributor", password=PASSWORD)


def test_a_token_is_shown_once_stored_hashed_and_listed(app: TestApp, session: str, dbsession: Any) -> None:
    made = make(app, session, ["read", "contribute"], expires_at="2099-01-01T00:00:00Z")
    assert made["scopes"] == ["read", "contribute"] and made["expires_at"] == "2099-01-01T00:00:00Z"
    assert made["last_used_at"] is None and made["token"]
    stored = dbsession.scalar(select(Token.token_hash).where(Token.id == int(made["id"])))
    assert stored == hashlib.sha256(made["token"].encode()).hexdigest()
    listed = app.get("/api/v1/me/tokens", headers=auth(session)).json["tokens"]
    assert [entry["id"] for entry in listed] == [made["id"]] and "token" not in listed[0]
    me = app.get("/api/v1/me", headers=auth(made["token"])).json
    assert me["user"]["name"] == "tess" and me["scope"] == "contribute"
    used = app.get("/api/v1/me/tokens", headers=auth(session)).json["tokens"][0]
    assert used["last_used_at"] is not None


def test_a_read_token_cannot_write(app: TestApp, session: str) -> None:
    read = make(app, session, ["read"])["token"]
    assert app.get("/api/v1/me", headers=auth(read)).json["scope"] == "read"
    assert donate(app, read, jpeg(1), status=403).json["error"]["code"] == "forbidden"
    app.post_json("/api/v1/label-suggestions", {"name": "zebra crossing"}, headers=auth(read), status=403)
    write = make(app, session, ["contribute"])["token"]
    donate(app, write, jpeg(1), status=201)


def test_a_contribute_token_cannot_moderate(app: TestApp) -> None:
    moderator = new_account(app, "mona", "moderator", password=PASSWORD)
    image = donate(app, moderator, jpeg(2)).json["image"]["id"]
    contribute = make(app, moderator, ["contribute"])["token"]
    path = f"/api/v1/images/{image}/status"
    answer = app.post_json(path, {"status": "hidden"}, headers=auth(contribute), status=403)
    assert answer.json["error"]["code"] == "forbidden"
    moderate = make(app, moderator, ["moderate"])["token"]
    app.post_json(path, {"status": "hidden"}, headers=auth(moderate), status=200)


def test_only_moderators_get_the_moderate_scope(app: TestApp, session: str) -> None:
    assert make(app, session, ["moderate"], status=403)["error"]["code"] == "forbidden"


@pytest.mark.parametrize("body", [{"scopes": ["read"]}, {"name": "", "scopes": ["read"]}, {"name": "x" * 65},
                                  {"name": "a", "scopes": []}, {"name": "a", "scopes": ["admin"]},
                                  {"name": "a", "scopes": "read"}, {"name": "a", "scopes": ["read"], "expires_at": 5},
                                  {"name": "a", "scopes": ["read"], "expires_at": "2001-01-01T00:00:00Z"},
                                  {"name": "a", "scopes": ["read"], "expires_at": "2099-01-01T00:00:00"},
                                  {"name": "a", "scopes": ["read"], "expires_at": "soon"}])
def test_bad_token_requests_are_422(app: TestApp, session: str, body: dict[str, Any]) -> None:
    answer = app.post_json("/api/v1/me/tokens", body, headers=auth(session), status=422).json
    assert answer["error"]["code"] == "invalid"
    assert app.get("/api/v1/me/tokens", headers=auth(session)).json["tokens"] == []


def test_revoked_tokens_answer_401_at_once(app: TestApp, session: str) -> None:
    made = make(app, session, ["contribute"])
    donate(app, made["token"], jpeg(3), status=201)  # seen (and looked up) before the revocation
    app.delete(f"/api/v1/me/tokens/{made['id']}", headers=auth(session), status=204)
    assert app.get("/api/v1/me", headers=auth(made["token"]), status=401).json["error"]["code"] == "unauthenticated"
    donate(app, made["token"], jpeg(4), status=401)
    app.delete(f"/api/v1/me/tokens/{made['id']}", headers=auth(session), status=404)
    app.delete("/api/v1/me/tokens/nope", headers=auth(session), status=404)


def test_an_account_cannot_revoke_anothers_token(app: TestApp, session: str) -> None:
    made = make(app, session, ["read"])
    other = new_account(app, "otto", "contributor", password=PASSWORD)
    app.delete(f"/api/v1/me/tokens/{made['id']}", headers=auth(other), status=404)
    app.get("/api/v1/me", headers=auth(made["token"]), status=200)


def test_expired_tokens_answer_401(app: TestApp, session: str) -> None:
    expiry = utcnow() + timedelta(seconds=2)
    made = make(app, session, ["read"], expires_at=expiry.isoformat())
    app.get("/api/v1/me", headers=auth(made["token"]), status=200)  # seen (and cached where tokens are) before
    time.sleep(max(0.0, (expiry - utcnow()).total_seconds()) + 0.05)
    assert "expired" in app.get("/api/v1/me", headers=auth(made["token"]), status=401).json["error"]["message"]
    with app_request(app.app.registry) as request:  # an expiry moved into the past is read from the database too
        later = make(app, session, ["read"], expires_at="2099-01-01T00:00:00Z")
        request.dbsession.execute(update(Token).where(Token.id == int(later["id"]))
                                  .values(expires_at=utcnow() - timedelta(seconds=1)))
    app.get("/api/v1/me", headers=auth(later["token"]), status=401)


def test_named_and_anonymous_tokens_manage_no_tokens(app: TestApp, session: str, token: str) -> None:
    named = make(app, session, ["contribute"])["token"]
    for bearer in (named, token):
        app.get("/api/v1/me/tokens", headers=auth(bearer), status=403)
        app.post_json("/api/v1/me/tokens", {"name": "x", "scopes": ["read"]}, headers=auth(bearer), status=403)
        app.delete("/api/v1/sessions", headers=auth(bearer), status=403)
    app.get("/api/v1/me/tokens", status=401)


def test_log_out_everywhere_revokes_every_session_but_not_named_tokens(app: TestApp, session: str) -> None:
    other = app.post_json("/api/v1/sessions", {"username": "tess", "password": PASSWORD}, status=201).json["token"]
    named = make(app, session, ["read"])["token"]
    app.get("/api/v1/me", headers=auth(other), status=200)
    app.delete("/api/v1/sessions", headers=auth(session), status=204)
    for gone in (session, other):
        app.get("/api/v1/me", headers=auth(gone), status=401)
    app.get("/api/v1/me", headers=auth(named), status=200)


def test_password_change(app: TestApp, session: str) -> None:
    other = app.post_json("/api/v1/sessions", {"username": "tess", "password": PASSWORD}, status=201).json["token"]
    path, new = "/api/v1/me/password", "violet-lantern-88-orbit"
    wrong = app.post_json(path, {"password": "not-the-password", "new_password": new}, headers=auth(session),
                          status=401)
    assert wrong.json["error"]["code"] == "invalid_credentials"
    weak = app.post_json(path, {"password": PASSWORD, "new_password": "password1234"}, headers=auth(session),
                         status=422)
    assert weak.json["error"]["code"] == "weak_password"
    app.post_json(path, {"password": PASSWORD, "new_password": new}, headers=auth(session), status=204)
    app.get("/api/v1/me", headers=auth(session), status=200)  # this session stays
    app.get("/api/v1/me", headers=auth(other), status=401)  # every other one is logged out
    app.post_json("/api/v1/sessions", {"username": "tess", "password": PASSWORD}, status=401)
    app.post_json("/api/v1/sessions", {"username": "tess", "password": new}, status=201)


def test_revocation_and_log_out_hold_at_once_in_another_process(app_factory: Any) -> None:
    first = app_factory()
    url = first.app.registry.settings["sqlalchemy.url"]
    if url.startswith("sqlite"):
        pytest.skip("one process serves a SQLite site; it caches log-in tokens and clears them on revocation")
    second = app_factory(**{"sqlalchemy.url": url})  # another process of the same site
    session = new_account(first, "pete", "contributor", password=PASSWORD)
    named = make(first, session, ["contribute"])
    for bearer in (named["token"], session):
        second.get("/api/v1/me", headers=auth(bearer), status=200)
    first.delete(f"/api/v1/me/tokens/{named['id']}", headers=auth(session), status=204)
    second.get("/api/v1/me", headers=auth(named["token"]), status=401)
    first.delete("/api/v1/sessions", headers=auth(session), status=204)
    second.get("/api/v1/me", headers=auth(session), status=401)


def test_log_out_revokes_this_session_only(app: TestApp, session: str, token: str) -> None:
    other = app.post_json("/api/v1/sessions", {"username": "tess", "password": PASSWORD}, status=201).json["token"]
    named = make(app, session, ["read"])["token"]
    app.delete("/api/v1/sessions/current", headers=auth(session), status=204)
    app.get("/api/v1/me", headers=auth(session), status=401)
    app.get("/api/v1/me", headers=auth(other), status=200)
    for not_a_login in (named, token):
        app.delete("/api/v1/sessions/current", headers=auth(not_a_login), status=403)
