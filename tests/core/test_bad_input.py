"""Bad input that once gave 500 (issue 14, item 9): each case is a clear 4xx JSON error and changes nothing."""
from __future__ import annotations

import base64
import json
from collections.abc import Callable
from urllib.parse import quote

import pytest
from support import count_rows, donate, jpeg
from webtest import TestApp

from imagemonkey.models import Image, ImageLabel
from imagemonkey.testing import auth, new_account

JSON = {"Content-Type": "application/json"}


def forged(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def assert_json_error(answer: object, status: int) -> None:
    assert answer.status_int == status, answer.text  # type: ignore[attr-defined]
    assert answer.content_type == "application/json"  # type: ignore[attr-defined]
    assert set(answer.json["error"]) >= {"code", "message"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("raw", ["²", "٣", "１", "³4", "1_000", " 1", "+1", "-1", "2936565036", "9" * 18])
def test_ids_are_ascii_digits_only(app: TestApp, token: str, raw: str) -> None:
    donate(app, token, jpeg(1))
    raw = quote(raw)
    for path in (f"/api/v1/images/{raw}", f"/api/v1/images/{raw}/file", f"/api/v1/image-labels/{raw}"):
        assert_json_error(app.get(path, status="*"), 404)


@pytest.mark.parametrize("raw", ["٣", "²", "１0", " 5", "5 ", "1e2", "9" * 30])
def test_numeric_parameters_are_ascii_digits_only(app: TestApp, raw: str) -> None:
    assert_json_error(app.get("/api/v1/images", {"limit": raw}, status="*"), 400)
    assert_json_error(app.get("/api/v1/label-suggestions", {"limit": raw}, status="*"), 400)


@pytest.mark.parametrize("body", [
    b"[" * 5000 + b"]" * 5000,
    b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"name": 1' + b"0" * 5000 + b"}",
    b'{"name": "\\ud800"}',
    b'{"name": "a\\u0000b"}',
    b'{"name": "ok", "x": "\\udfff"}',
])
def test_hostile_json_bodies(app: TestApp, token: str, body: bytes) -> None:
    answer = app.post("/api/v1/label-suggestions", body, headers={**auth(token), **JSON}, status="*")
    assert_json_error(answer, 400 if answer.status_int == 400 else 422)


@pytest.mark.parametrize("name", ["\ud800", "dog\x00", "\x00"])
def test_labels_with_lone_surrogates_or_nul_are_refused(app: TestApp, token: str, name: str) -> None:
    image_id = donate(app, token, jpeg(2)).json["image"]["id"]
    body = json.dumps({"labels": [name]}).encode()
    answer = app.post(f"/api/v1/images/{image_id}/labels", body, headers={**auth(token), **JSON}, status="*")
    assert_json_error(answer, 422)
    assert count_rows(app, ImageLabel) == 0


@pytest.mark.parametrize("fields", [{"label": "dog\x00"}, {"source_url": "https://a.example/\x00"},
                                    {"page_url": "https://a.example/x\x00y"}])
def test_donation_fields_with_nul_are_refused(app: TestApp, token: str, fields: dict[str, str]) -> None:
    answer = donate(app, token, jpeg(3), status="*", **fields) if "label" not in fields else \
        donate(app, token, jpeg(3), labels=(fields["label"],), status="*")
    assert_json_error(answer, 422)
    assert count_rows(app, Image) == 0


def test_usernames_with_nul_or_surrogates_are_refused(app: TestApp) -> None:
    new_account(app, "alice")
    for name in ("al\x00ice", "\ud800"):
        body = json.dumps({"username": name, "password": "x"}).encode()
        assert_json_error(app.post("/api/v1/sessions", body, headers=JSON, status="*"), 422)


def test_query_values_with_nul_are_refused(app: TestApp) -> None:
    assert_json_error(app.get("/api/v1/images?label=dog%00", status="*"), 400)


@pytest.mark.parametrize("value", [2**63, 2**64 + 5, -1, "x", [1, 2, 3], [2**63, 1], [1, -1],
                                   {"a": 1}, 1.5, True, None])
def test_forged_cursors(app: TestApp, token: str, moderator: str, value: object) -> None:
    donate(app, token, jpeg(4))
    cursor = forged(value)
    for path in ("/api/v1/images", "/api/v1/label-suggestions", "/api/v1/contributors/me/contributions"):
        assert_json_error(app.get(path, {"cursor": cursor}, headers=auth(moderator), status="*"), 400)


@pytest.mark.parametrize("cursor", ["!!!", "a", "x" * 5000, "%00"])
def test_cursors_that_are_not_base64_json(app: TestApp, cursor: str) -> None:
    assert_json_error(app.get("/api/v1/label-suggestions", {"cursor": cursor}, status="*"), 400)


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=",
                                          "multipart/form-data; boundary=\"\""])
def test_multipart_without_a_boundary(app: TestApp, token: str, content_type: str) -> None:
    answer = app.post("/api/v1/images", b"--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc\r\n--x--",
                      headers={**auth(token), "Content-Type": content_type}, status="*")
    assert_json_error(answer, 400)


def test_a_broken_multipart_body(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory()
    token = app.post("/api/v1/clients", status=201).json["token"]
    answer = app.post("/api/v1/images", b"garbage without parts",
                      headers={**auth(token), "Content-Type": "multipart/form-data; boundary=zzz"}, status="*")
    assert answer.status_int in (400, 422)
    assert answer.content_type == "application/json"
