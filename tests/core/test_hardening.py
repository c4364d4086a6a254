"""Defects an outside attack found (issue 14): headers, host-independent URLs, the body cap in JSON,
the role hierarchy of revert, pending images behind duplicates, statistics, login timing."""
from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from support import donate, jpeg
from webtest import TestApp

from imagemonkey import auth as auth_module
from imagemonkey.plugins import installed_plugins
from imagemonkey.testing import auth, new_account, new_client

ALL = tuple(sorted(installed_plugins()))


@pytest.fixture
def full_app(app_factory: Callable[..., TestApp]) -> TestApp:
    return app_factory(plugins=ALL)


def page_paths(testapp: TestApp, image_id: str) -> list[str]:
    paths = ["/", "/browse", f"/images/{image_id}", "/no-such-page"]
    routes = {route.name: route.pattern for route in testapp.app.routes_mapper.get_routes()}
    for name, pattern in routes.items():
        if not pattern.startswith(("/api/", "/static", "/images")) and name not in ("home", "browse") \
                and "{" not in pattern and not name.startswith("__"):
            paths.append(pattern)
    if "annotate.editor" in routes:
        paths.append(f"/annotate/{image_id}")
    return paths


def test_every_page_and_answer_sends_the_security_headers(full_app: TestApp) -> None:
    token = new_client(full_app)
    image_id = donate(full_app, token, jpeg(1), labels=("dog",)).json["image"]["id"]
    answers = [full_app.get(path, status="*") for path in page_paths(full_app, image_id)]
    answers += [full_app.get("/api/v1/info"), full_app.get("/api/v1/nothing", status=404),
                full_app.get(f"/api/v1/images/{image_id}/file"), full_app.get("/static/site.css")]
    for answer in answers:
        csp = answer.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, answer.request.path
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert answer.headers.get("X-Frame-Options") == "DENY"
        assert answer.headers.get("X-Content-Type-Options") == "nosniff"


def test_pages_hold_no_inline_script(full_app: TestApp) -> None:
    token = new_client(full_app)
    image_id = donate(full_app, token, jpeg(1), labels=("dog",)).json["image"]["id"]
    for path in page_paths(full_app, image_id):
        html = full_app.get(path, status="*").text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "javascript:" not in html, path


def test_image_urls_never_come_from_the_host_header(app: TestApp, token: str) -> None:
    image_id = donate(app, token, jpeg(2)).json["image"]["id"]
    doc = app.get(f"/api/v1/images/{image_id}", headers={"Host": "evil.example"}).json
    for url in doc["urls"].values():
        assert "evil.example" not in url
        assert url.startswith(f"/api/v1/images/{image_id}/file?size=")


def test_image_urls_use_the_configured_public_url(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.public_url": "https://images.example.org/"})
    token = new_client(app)
    image_id = donate(app, token, jpeg(3)).json["image"]["id"]
    doc = app.get(f"/api/v1/images/{image_id}", headers={"Host": "evil.example"}).json
    assert doc["urls"]["thumb"] == f"https://images.example.org/api/v1/images/{image_id}/file?size=thumb"


def test_a_bad_public_url_stops_start_up(app_factory: Callable[..., TestApp]) -> None:
    with pytest.raises(ValueError, match="public_url"):
        app_factory(**{"imagemonkey.public_url": "javascript:alert(1)"})


def test_a_body_over_the_cap_is_a_json_413_on_any_api_route(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.max_upload_bytes": "2000"})
    token = new_client(app)
    big = b'{"name": "' + b"a" * 200_000 + b'"}'
    answer = app.post("/api/v1/label-suggestions", big, headers={**auth(token), "Content-Type": "application/json"},
                      status=413)
    assert answer.content_type == "application/json"
    assert answer.json["error"]["code"] == "too_large"


def test_a_moderator_cannot_revert_an_admin_or_another_moderator(app: TestApp) -> None:
    moderator = new_account(app, "mod1", "moderator")
    other_moderator = new_account(app, "mod2", "moderator")
    admin = new_account(app, "boss", "admin")
    ids = {name: app.get("/api/v1/me", headers=auth(tok)).json["id"]
           for name, tok in (("mod2", other_moderator), ("boss", admin))}
    for target in ids.values():
        answer = app.post(f"/api/v1/contributors/{target}/revert", headers=auth(moderator), status=403)
        assert answer.json["error"]["code"] == "forbidden"
    assert app.get("/api/v1/me", headers=auth(admin)).status_int == 200
    assert app.post(f"/api/v1/contributors/{ids['mod2']}/revert", headers=auth(admin)).json["blocked"] is True


def test_an_admin_cannot_be_reverted_by_another_admin_unless_admin(app: TestApp) -> None:
    first = new_account(app, "admin1", "admin")
    second = new_account(app, "admin2", "admin")
    target = app.get("/api/v1/me", headers=auth(second)).json["id"]
    assert app.post(f"/api/v1/contributors/{target}/revert", headers=auth(first)).json["blocked"] is True


def test_a_duplicate_of_a_pending_image_reveals_nothing(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.moderation": "pre"})
    donor, other = new_client(app), new_client(app)
    data = jpeg(4)
    first = donate(app, donor, data, labels=("dog",)).json["image"]
    assert first["status"] == "pending"
    answer = donate(app, other, data, labels=("cat",), status="*")
    assert answer.status_int in (200, 202)
    body = answer.json
    assert "dog" not in answer.text and first["id"] not in answer.text
    assert body.get("duplicate") is True and "image" not in body
    labels = [il["label"] for il in app.get(f"/api/v1/images/{first['id']}", headers=auth(donor)).json["labels"]]
    assert labels == ["dog"]


def test_statistics_count_only_public_images_labels(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.moderation": "pre"})
    donor = new_client(app)
    donate(app, donor, jpeg(5), labels=("dog", "cat"))
    stats = app.get("/api/v1/statistics").json
    assert stats["labels"]["image_labels"] == 0
    assert stats["labels"]["top"] == []
    assert stats["images"]["total"] == 0 and "pending" not in stats["images"]["by_status"]


def test_unknown_users_cost_the_same_password_work(app: TestApp, monkeypatch: pytest.MonkeyPatch) -> None:
    new_account(app, "known", "moderator", password="right one")
    calls: list[str] = []
    real = auth_module.hashlib.scrypt

    def counting(*args: object, **kwargs: object) -> bytes:
        calls.append("scrypt")
        return real(*args, **kwargs)

    monkeypatch.setattr(auth_module.hashlib, "scrypt", counting)
    app.post_json("/api/v1/sessions", {"username": "known", "password": "wrong"}, status=401)
    known = len(calls)
    calls.clear()
    app.post_json("/api/v1/sessions", {"username": "nobody", "password": "wrong"}, status=401)
    assert known == len(calls) == 1
