"""check_text refuses control characters but newlines, line and paragraph separators; check_line newlines too."""
from __future__ import annotations

import json
import sys
import unicodedata

import pytest
from support import count_rows, donate, jpeg
from webtest import TestApp

from imagemonkey.errors import ApiError
from imagemonkey.models import ImageLabel
from imagemonkey.plugin import check_line, check_text
from imagemonkey.testing import auth

JSON = {"Content-Type": "application/json"}
NEWLINES = {"\n", "\r"}
#: One of each kind the issue named, by Unicode category.
REFUSED = {"tab (Cc)": "\t", "escape (Cc)": "\x1b", "DEL (Cc)": "\x7f", "NEL (Cc)": "\x85", "NUL (Cc)": "\x00",
           "line separator (Zl)": "\u2028", "paragraph separator (Zp)": "\u2029", "lone surrogate (Cs)": "\ud800"}


def every_character_of(*categories: str) -> list[str]:
    """Every code point in ``categories``."""
    return [chr(point) for point in range(sys.maxunicode + 1) if unicodedata.category(chr(point)) in categories]


def refuses(check: object, value: str) -> bool:
    try:
        check(value, "field")  # type: ignore[operator]
    except ApiError as error:
        assert error.status == 422 and error.code == "invalid_text"
        return True
    return False


def test_check_text_refuses_every_control_character_but_newlines_and_every_separator() -> None:
    for character in every_character_of("Cc", "Zl", "Zp"):
        assert refuses(check_text, f"a{character}b") is (character not in NEWLINES), hex(ord(character))


def test_check_line_refuses_every_control_character_and_separator() -> None:
    assert all(refuses(check_line, f"a{character}b") for character in every_character_of("Cc", "Zl", "Zp"))


def test_ordinary_text_passes_both() -> None:
    for value in ("dog", "crème brûlée", "狗 🐕", "a b", "\u00a0nbsp", "zero\u200bwidth"):
        assert check_text(value, "field") == value and check_line(value, "field") == value
    assert check_text("two\nlines\r\n", "field") == "two\nlines\r\n"


def test_the_message_names_the_field_and_the_character() -> None:
    with pytest.raises(ApiError) as refused:
        check_line("dog\x1bcat", "labels")
    assert "labels" in refused.value.message and "U+001B" in refused.value.message


@pytest.mark.parametrize("character", [*REFUSED.values(), "\n"], ids=[*REFUSED, "newline"])
def test_a_label_with_a_control_character_or_separator_is_refused(app: TestApp, token: str, character: str) -> None:
    image_id = donate(app, token, jpeg(2)).json["image"]["id"]
    body = json.dumps({"labels": [f"dog{character}cat"]}).encode()
    answer = app.post(f"/api/v1/images/{image_id}/labels", body, headers={**auth(token), **JSON}, status=422)
    assert answer.json["error"]["code"] == "invalid_text"
    assert count_rows(app, ImageLabel) == 0


@pytest.mark.parametrize("character", REFUSED.values(), ids=REFUSED)
def test_any_json_body_string_with_a_control_character_is_refused(app: TestApp, character: str) -> None:
    body = json.dumps({"username": f"al{character}ice", "password": "x"}).encode()
    answer = app.post("/api/v1/sessions", body, headers=JSON, status=422)
    assert answer.json["error"]["code"] == "invalid_text"


def test_a_newline_in_a_json_body_is_text_not_an_error(app: TestApp) -> None:
    body = json.dumps({"username": "al\nice", "password": "x"}).encode()
    answer = app.post("/api/v1/sessions", body, headers=JSON, status="*")
    assert answer.status_int != 422 and answer.json["error"]["code"] != "invalid_text"
