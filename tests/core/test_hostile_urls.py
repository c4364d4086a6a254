"""URLs, bodies and numbers an attack sent that once answered 500 (issue 21, items 9 to 11): now 400 JSON errors."""
from __future__ import annotations

import pytest
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.testing import auth, new_client


def assert_json_400(answer: object, code: str) -> None:
    assert answer.status_int == 400, answer.text  # type: ignore[attr-defined]
    assert answer.content_type == "application/json"  # type: ignore[attr-defined]
    assert answer.json["error"]["code"] == code and answer.json["error"]["message"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/api/v1/images/%FF", "/%FF", "/static/%FF", "/api/v1/images/%C0%80",
                                  "/%ED%A0%80", "/browse/%FF%FE", "/api/v1/images?q=dog&x=%FF",
                                  "/browse?q=%FF", "/validate/grid?label=%FF", "/?%ED%A0%80=1", "/browse?q=%C0%80"])
def test_invalid_utf8_in_the_path_or_query_is_400_json(app_factory, path: str) -> None:  # noqa: ANN001
    app = app_factory(("validate",))
    answer = app.get(path, status="*")
    assert_json_400(answer, "invalid_url")
    assert answer.headers["Content-Security-Policy"] and answer.headers["X-Frame-Options"] == "DENY"


def test_a_multipart_upload_in_another_charset_is_400(app: TestApp, token: str) -> None:
    body = b'--x\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\n' + jpeg(1) + b"\r\n--x--\r\n"
    answer = app.post("/api/v1/images", body, status="*", headers={
        **auth(token), "Content-Type": "multipart/form-data; charset=iso-8859-1; boundary=x"})
    assert_json_400(answer, "malformed_multipart")
    assert app.get("/api/v1/images").json["images"] == []


@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", "1" + "0" * 400])
def test_a_size_beyond_32_bits_in_a_query_is_400(app: TestApp, token: str, number: str) -> None:
    donate(app, token, jpeg(2))
    query = {"q": f"width >= {number}"}
    for path in ("/api/v1/images", "/api/v1/images/count"):
        error = app.get(path, query, status=400).json["error"]
        assert (error["code"], error["position"]) == ("query_syntax", 9)
    assert app.get("/browse", query, status=400).html.select_one("#query-status").text
    assert app.get("/api/v1/images/count", {"q": "width >= 2147483647"}).json["count"] == 0


def test_a_semicolon_in_the_query_is_data_not_a_separator(app_factory) -> None:  # noqa: ANN001
    """``?label=;ab`` asks for the label ";ab" (WebOb alone read an empty label and a parameter "ab")."""
    app = app_factory(("validate",))
    token = new_client(app)
    for query in ("label=;ab", "label=dog;x"):
        error = app.get(f"/api/v1/tasks/grid?{query}", headers=auth(token), status=404).json["error"]
        assert error["code"] == "unknown_label" and query.split("=")[1] in error["message"]
