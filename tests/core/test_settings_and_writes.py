"""Declared settings (typed, validated at start-up) and the write API with strict writes in tests."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update
from support import count_rows, donate, jpeg
from webtest import TestApp

from imagemonkey.db.transactions import UnmarkedWriteError
from imagemonkey.models import Image
from imagemonkey.plugin import SettingError, as_bool, as_choice, as_float, as_int, as_list, get_setting, hookimpl, write
from imagemonkey.testing import auth


def test_coercers_type_and_refuse() -> None:
    assert as_int(min=1)(" 7 ") == 7 and as_float(max=1)("0.25") == 0.25
    assert as_bool()("Yes") is True and as_bool()("off") is False and as_bool()(True) is True
    assert as_list()("a, b  c") == ["a", "b", "c"] and as_choice("pre", "post")("post") == "post"
    for coerce, raw in ((as_int(), "7.5"), (as_int(min=1), "0"), (as_float(max=1), "2"), (as_bool(), "maybe"),
                        (as_choice("pre", "post"), "later"), (as_int(), True)):
        with pytest.raises(ValueError):
            coerce(raw)


def test_settings_are_typed_after_start_up(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("validate", "annotate"), **{"validate.max_votes": "20",
                                                          "annotate.export_unverified": "yes"})
    registry = app.app.registry
    assert get_setting(registry, "validate.max_votes") == 20
    assert get_setting(registry, "validate.min_votes") == 2  # the declared default
    assert get_setting(registry, "annotate.export_unverified") is True
    assert get_setting(registry, "imagemonkey.max_pixels") == 40_000_000
    assert get_setting(registry, "imagemonkey.cors_origins") == ["chrome-extension://*", "moz-extension://*"]
    with pytest.raises(KeyError):
        get_setting(registry, "validate.nothing")


@pytest.mark.parametrize(("key", "value"), [("imagemonkey.max_pixels", "lots"), ("imagemonkey.moderation", "never"),
                                            ("imagemonkey.rate_limit.writes", "5/fortnight"),
                                            ("validate.max_votes", "many"), ("validate.prior", "1.5"),
                                            ("annotate.export_unverified", "perhaps")])
def test_a_bad_value_stops_start_up_naming_the_key(app_factory: Callable[..., TestApp], key: str, value: str) -> None:
    with pytest.raises(ValueError, match=key.replace(".", r"\.")):
        app_factory(plugins=("validate", "annotate"), **{key: value})


def test_an_unknown_setting_of_an_enabled_plugin_stops_start_up(app_factory: Callable[..., TestApp]) -> None:
    with pytest.raises(SettingError, match=r"unknown setting validate\.max_vote\b.*validate\.max_votes"):
        app_factory(plugins=("validate",), **{"validate.max_vote": "9"})
    app_factory(plugins=(), **{"validate.max_vote": "9"})  # validate is not enabled: not its business


class CoreWrite:
    """On ``GET /api/v1/statistics`` (a request that writes nothing else), rename every image's format."""

    def __init__(self, *, marked: bool) -> None:
        self.marked = marked

    @hookimpl
    def imagemonkey_statistics(self, request: Any) -> None:
        statement = update(Image.__table__).values(format="webp")  # a plain Core statement: not ORM-aware
        if self.marked:
            write(request, statement)
        else:
            request.dbsession.execute(statement)


def formats(app: TestApp) -> list[str]:
    session = app.app.registry["dbsession_factory"]()
    try:
        return list(session.scalars(select(Image.format)))
    finally:
        session.close()


def test_an_unmarked_core_write_fails_the_request_in_tests(app: TestApp, token: str,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    donate(app, token, jpeg(1))
    app.app.registry.pm.register(CoreWrite(marked=False))
    answer = app.get("/api/v1/statistics", status=500)  # the commit refuses; the error view answers in JSON
    assert answer.json["error"]["code"] == "internal_error"
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert any(isinstance(exc, UnmarkedWriteError) and "imagemonkey.plugin.write" in str(exc) for exc in logged)
    assert formats(app) == ["jpeg"]


def test_write_marks_the_transaction_so_it_commits(app: TestApp, token: str) -> None:
    donate(app, token, jpeg(2))
    app.app.registry.pm.register(CoreWrite(marked=True))
    app.get("/api/v1/statistics")
    assert formats(app) == ["webp"]


def test_without_strict_writes_the_unmarked_write_is_silently_lost(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.strict_writes": "false"})
    token = app.post("/api/v1/clients", status=201).json["token"]
    donate(app, token, jpeg(3))
    app.app.registry.pm.register(CoreWrite(marked=False))
    app.get("/api/v1/statistics", headers=auth(token))
    assert formats(app) == ["jpeg"]  # what strict writes exist to catch
    assert count_rows(app, Image, func.length(Image.format) > 0) == 1
