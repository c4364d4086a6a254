"""Anonymous client tokens, accounts and sessions, roles, and the ``user add`` command."""
from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.cli import main
from imagemonkey.models import Contributor, Token
from imagemonkey.testing import auth, new_account, new_client


def test_new_client_gets_a_token(app: TestApp) -> None:
    answer = app.post("/api/v1/clients", status=201).json
    assert set(answer) == {"client_id", "token"}
    assert len(answer["token"]) >= 32
    other = app.post("/api/v1/clients", status=201).json
    assert other["token"] != answer["token"] and other["client_id"] != answer["client_id"]
    me = app.get("/api/v1/me", headers=auth(answer["token"])).json
    assert me == {"id": answer["client_id"], "client_id": answer["client_id"], "kind": "client", "name": None,
                  "roles": ["contributor"], "counts": {}, "today": {"total": 0}, "streak_days": 0}


def test_tokens_are_stored_hashed(app: TestApp, dbsession: Any) -> None:
    tokens = [new_client(app) for _ in range(3)] + [new_account(app, "hashcheck", "contributor")]
    rows = dbsession.execute(select(Token.token_hash, Token.kind, Token.contributor_id)).all()
    assert len(rows) == 4
    stored = " ".join(str(value) for row in rows for value in row)
    for token in tokens:
        assert token not in stored
    assert sorted(row.token_hash for row in rows) == sorted(hashlib.sha256(t.encode()).hexdigest() for t in tokens)


def test_bearer_scheme_is_case_insensitive_and_required(app: TestApp, token: str) -> None:
    app.get("/api/v1/me", headers={"Authorization": f"bearer {token}"}, status=200)
    app.get("/api/v1/me", headers={"Authorization": f"Basic {token}"}, status=401)
    app.get("/api/v1/me", headers={"Authorization": "Bearer "}, status=401)


def test_unknown_token_is_401_json(app: TestApp) -> None:
    for path in ("/api/v1/me", "/api/v1/images", "/api/v1/tasks/next?kind=label"):
        answer = app.get(path, headers=auth("not-a-token-we-issued"), status=401)
        assert answer.content_type == "application/json"
        assert answer.json["error"]["code"] == "unauthenticated"
        assert "POST /api/v1/clients" in answer.json["error"]["message"]


def test_missing_token_on_writes_is_401(app: TestApp, token: str) -> None:
    image = donate(app, token, jpeg(1)).json["image"]["id"]
    writes = [
        lambda: app.post("/api/v1/images", upload_files=[("image", "a.jpg", jpeg(2))], status=401),
        lambda: app.post_json(f"/api/v1/images/{image}/labels", {"labels": ["dog"]}, status=401),
        lambda: app.post_json("/api/v1/label-suggestions", {"name": "flying saucer"}, status=401),
        lambda: app.post_json(f"/api/v1/images/{image}/status", {"status": "hidden"}, status=401),
        lambda: app.get("/api/v1/me", status=401),
        lambda: app.get("/api/v1/tasks/next", {"kind": "label"}, status=401),
    ]
    for write in writes:
        assert write().json["error"]["code"] == "unauthenticated"
    assert app.get(f"/api/v1/images/{image}").json["labels"] == []


def test_account_login(app: TestApp) -> None:
    new_account(app, "alice", "contributor", password="a long secret")
    ok = app.post_json("/api/v1/sessions", {"username": "alice", "password": "a long secret"}, status=201).json
    assert ok["user"]["name"] == "alice" and ok["user"]["roles"] == ["contributor"]
    assert app.get("/api/v1/me", headers=auth(ok["token"])).json["name"] == "alice"
    for body in ({"username": "alice", "password": "wrong secret"}, {"username": "nobody", "password": "x" * 10}):
        wrong = app.post_json("/api/v1/sessions", body, status=401)
        assert wrong.json["error"]["code"] == "invalid_credentials"
    bad = app.post_json("/api/v1/sessions", {"username": "alice"}, status=422)
    assert bad.json["error"]["code"] == "invalid"


def test_client_without_password_cannot_log_in(app: TestApp, token: str) -> None:
    client_id = app.get("/api/v1/me", headers=auth(token)).json["id"]
    app.post_json("/api/v1/sessions", {"username": client_id, "password": ""}, status=401)


def test_password_stored_as_scrypt(app: TestApp, dbsession: Any) -> None:
    password = "correct horse battery"
    new_account(app, "bob", "contributor", password=password)
    stored = dbsession.scalar(select(Contributor.password_hash).where(Contributor.name == "bob"))
    assert stored.startswith("scrypt$")
    assert password not in stored
    for digest in (hashlib.sha256, hashlib.sha1, hashlib.md5, hashlib.sha512):
        assert digest(password.encode()).hexdigest() not in stored
    new_account(app, "carol", "contributor", password=password)
    other = dbsession.scalar(select(Contributor.password_hash).where(Contributor.name == "carol"))
    assert other != stored  # salted


def test_roles(app: TestApp, token: str, moderator: str) -> None:
    image = donate(app, token, jpeg(3)).json["image"]["id"]
    refused = app.post_json(f"/api/v1/images/{image}/status", {"status": "hidden"}, headers=auth(token), status=403)
    assert refused.json["error"]["code"] == "forbidden"
    assert app.get(f"/api/v1/images/{image}").json["status"] == "public"
    done = app.post_json(f"/api/v1/images/{image}/status", {"status": "hidden"}, headers=auth(moderator)).json
    assert done["status"] == "hidden"
    assert app.get("/api/v1/me", headers=auth(moderator)).json["roles"] == ["contributor", "moderator"]
    admin = new_account(app, "root", "admin")
    assert app.get("/api/v1/me", headers=auth(admin)).json["roles"] == ["contributor", "moderator", "admin"]
    app.post_json(f"/api/v1/images/{image}/status", {"status": "public"}, headers=auth(admin), status=200)


def test_blocked_account_cannot_log_in(app: TestApp, moderator: str) -> None:
    new_account(app, "mallory", "contributor")
    mallory = app.post_json("/api/v1/sessions", {"username": "mallory", "password": "correct horse"}).json
    app.post(f"/api/v1/contributors/{mallory['user']['id']}/revert", headers=auth(moderator))
    answer = app.post_json("/api/v1/sessions", {"username": "mallory", "password": "correct horse"}, status=403)
    assert answer.json["error"]["code"] == "blocked"


def test_cli_user_add_then_log_in(app_factory: Callable[..., TestApp], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "site"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-enough\n"))
    assert main(["user", "add", "moddy", "--role", "moderator", "--data-dir", str(data_dir), "--plugins", ""]) == 0
    assert "created account 'moddy' with role moderator" in capsys.readouterr().out
    app = app_factory(**{"imagemonkey.data_dir": str(data_dir),
                         "sqlalchemy.url": f"sqlite:///{data_dir / 'imagemonkey.sqlite'}"})
    session = app.post_json("/api/v1/sessions", {"username": "moddy", "password": "s3cret-enough"}, status=201).json
    assert session["user"]["roles"] == ["contributor", "moderator"]
    app.post_json("/api/v1/sessions", {"username": "moddy", "password": "s3cret-enoug"}, status=401)
    # running it again updates the password and role
    monkeypatch.setattr("sys.stdin", io.StringIO("another-secret\n"))
    assert main(["user", "add", "moddy", "--role", "contributor", "--data-dir", str(data_dir), "--plugins", ""]) == 0
    assert "updated account" in capsys.readouterr().out
    again = app.post_json("/api/v1/sessions", {"username": "moddy", "password": "another-secret"}, status=201).json
    assert again["user"]["roles"] == ["contributor"]


def test_cli_user_add_refuses_a_short_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "add", "x", "--data-dir", str(tmp_path), "--plugins", ""]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
