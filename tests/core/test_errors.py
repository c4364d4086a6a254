"""Every /api/ error is the JSON error body; pages get HTML; nothing leaks a traceback."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import install_plugin, write_plugin
from webtest import TestApp

from imagemonkey.testing import auth

BOOM = '''
def explode(request):
    raise RuntimeError("SECRET-INTERNAL-DETAIL in a very private place")


def includeme(config):
    config.add_api_route("boom.api", "/api/v1/boom")
    config.add_view(explode, route_name="boom.api", request_method="GET", renderer="json")
    config.add_route("boom.page", "/boom")
    config.add_view(explode, route_name="boom.page")
'''


def assert_error(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_int == status
    assert answer.content_type == "application/json"
    error = answer.json["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_unknown_api_path_is_json_404(app: TestApp) -> None:
    for path in ("/api/v1/nothing-here", "/api/v2/info", "/api/"):
        assert_error(app.get(path, status=404), 404, "not_found")
    assert_error(app.post("/api/v1/nothing-here", status=404), 404, "not_found")


def test_wrong_method_is_json_405_with_allow(app: TestApp) -> None:
    answer = app.delete("/api/v1/info", status=405)
    error = assert_error(answer, 405, "method_not_allowed")
    assert answer.headers["Allow"] == "GET" and error["allowed"] == ["GET"]
    both = app.put("/api/v1/images", status=405)
    assert both.headers["Allow"] == "GET, POST"
    assert_error(app.get("/api/v1/clients", status=405), 405, "method_not_allowed")


@pytest.mark.parametrize("body", [b"{", b"not json", b"\xff\xfe", b'{"username": "a",}'])
def test_malformed_json_is_400(app: TestApp, body: bytes) -> None:
    answer = app.post("/api/v1/sessions", body, content_type="application/json", status=400)
    assert_error(answer, 400, "malformed_json")


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"42", b"null", b""])
def test_non_object_json_is_400(app: TestApp, token: str, body: bytes) -> None:
    answer = app.post("/api/v1/label-suggestions", body, content_type="application/json", headers=auth(token),
                      status=400)
    assert_error(answer, 400, "malformed_json")


def test_bad_values_are_422_with_field(app: TestApp, token: str) -> None:
    answer = app.post_json("/api/v1/sessions", {"username": ["a"], "password": 5}, status=422)
    assert assert_error(answer, 422, "invalid")["field"] == "username"
    bad_size = app.get("/api/v1/images?status=sideways", status=422)
    assert assert_error(bad_size, 422, "invalid")["field"] == "status"
    unknown = app.get("/api/v1/images?label=zorblax", status=404)
    assert_error(unknown, 404, "unknown_label")


@pytest.fixture
def boom_app(app_factory: Callable[..., TestApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestApp:
    write_plugin(tmp_path / "site", "boom", BOOM)
    install_plugin(monkeypatch, tmp_path / "site")
    return app_factory(plugins=("boom",))


def test_unexpected_exception_is_json_500_without_traceback(boom_app: TestApp,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    answer = boom_app.get("/api/v1/boom", status=500)
    assert_error(answer, 500, "internal_error")
    assert "SECRET-INTERNAL-DETAIL" not in answer.text
    assert "Traceback" not in answer.text and "RuntimeError" not in answer.text
    assert any("SECRET-INTERNAL-DETAIL" in (r.exc_text or "") or r.exc_info for r in caplog.records)
    boom_app.get("/api/v1/info", status=200)  # the server keeps serving


def test_unexpected_exception_on_a_page_is_html(boom_app: TestApp) -> None:
    answer = boom_app.get("/boom", status=500)
    assert answer.content_type == "text/html"
    assert "SECRET-INTERNAL-DETAIL" not in answer.text and "Traceback" not in answer.text


def test_html_404_for_pages(app: TestApp) -> None:
    answer = app.get("/no/such/page", status=404)
    assert answer.content_type == "text/html"
    assert "<html" in answer.text.lower()
    for path in ("/images/999999", "/images/abc"):
        image_page = app.get(path, status=404)
        assert image_page.content_type == "text/html"


def test_unknown_image_is_404_json(app: TestApp) -> None:
    for path in ("/api/v1/images/999999", "/api/v1/images/abc", "/api/v1/images/999999/file",
                 "/api/v1/images/-1"):
        assert_error(app.get(path, status=404), 404, "not_found")
