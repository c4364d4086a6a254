"""What the OpenAPI document calls valid the server takes, and what it calls invalid the server refuses (issue 21,
item 13): the patterns of URLs and label names, checked on the served document against real requests."""
from __future__ import annotations

import re

import pytest
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.testing import auth


def schema_of(app: TestApp, path: str, field: str) -> dict:
    document = app.get("/api/v1/openapi.json").json
    operation = document["paths"][path]["post"]
    content = operation["requestBody"]["content"]
    schema = next(iter(content.values()))["schema"]["properties"][field]
    return schema.get("items", schema)


def valid(schema: dict, value: str) -> bool:
    return (schema.get("minLength", 0) <= len(value) <= schema["maxLength"]
            and re.search(schema["pattern"], value) is not None and not value.endswith("\n"))


@pytest.mark.parametrize("url", ["https://example.org/a.jpg", "https://example.org/page?id=3&x=y#top", "http://0*",
                                 "http://a b", "https://example.org/\x1c", "ftp://example.org/", "https://",
                                 "http://[::1]/", "https://example.org/a\n"])
def test_source_url_pattern_and_server_agree(app: TestApp, token: str, url: str) -> None:
    schema = schema_of(app, "/api/v1/images", "source_url")
    answer = donate(app, token, jpeg(3), source_url=url, status="*")
    assert answer.status_int in (201, 422), answer.text
    assert (answer.status_int == 201) == valid(schema, url), (url, answer.text)


@pytest.mark.parametrize("name", ["zebra crossing", "é", "日本語", "a" * 128, "a" * 129, " ", "\x1c", "\u3000x",
                                  "İstanbul", "x\u2028y"])
def test_label_name_pattern_and_server_agree(app: TestApp, token: str, name: str) -> None:
    schema = schema_of(app, "/api/v1/label-suggestions", "name")
    answer = app.post_json("/api/v1/label-suggestions", {"name": name}, headers=auth(token), status="*")
    assert answer.status_int in (200, 201, 422), answer.text
    assert (answer.status_int != 422) == valid(schema, name), (name, answer.text)
