"""``imagemonkey stats verify [--repair]`` and the counters plugins declare for it."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, literal, select, text
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.cli import main
from imagemonkey.hookspecs import hookimpl
from imagemonkey.models import Image
from imagemonkey.plugin import UTCDateTime, count_daily, daily_counter, day_of, write
from imagemonkey.scripting import app_request
from imagemonkey.services.recount import collect
from imagemonkey.testing import counter_drifts, recount_counters

TALLY = "tally.donated"


def break_counters(app: TestApp, *statements: str) -> None:
    with app_request(app.app.registry) as request:
        for statement in statements:
            write(request, text(statement))


def verify(app: TestApp, tmp_path: Path, *options: str) -> int:
    """``imagemonkey stats verify`` on ``app``'s database, through an ini naming it."""
    ini = tmp_path / "site.ini"
    ini.write_text(f"[app:main]\nuse = egg:imagemonkey\nimagemonkey.plugins =\n"
                   f"sqlalchemy.url = {app.app.registry.settings['sqlalchemy.url']}\n"
                   f"imagemonkey.data_dir = {tmp_path / 'cli-data'}\n")
    return main(["stats", "verify", "--config", str(ini), *options])


def test_stats_verify_prints_the_differences_and_repair_fixes_them(
        app: TestApp, token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    donate(app, token, jpeg(1), labels=("dog", "cat"))
    donate(app, token, jpeg(2), labels=("dog",))
    assert verify(app, tmp_path) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "every statistics counter matches its tables"
    # 5 more public images in shard 31, whether or not a connection already wrote that shard
    break_counters(app, "INSERT INTO stat_image_status (status, shard, images) VALUES ('public', 31, 5) "
                   "ON CONFLICT (status, shard) DO UPDATE SET images = stat_image_status.images + 5",
                   "DELETE FROM stat_label WHERE label = 'dog'", "DELETE FROM stat_active")
    assert app.get("/api/v1/statistics").json["images"]["total"] == 7
    assert verify(app, tmp_path) == 1
    out = capsys.readouterr().out
    assert "core.image_status [public]: stored 7, counted 2" in out
    assert "core.label_images [dog]: stored 0, counted 2" in out
    assert re.search(r"^core\.active_contributors \[\d{4}-\d\d-\d\d, \d+\]: stored 0, counted 1$", out, re.M)
    assert out.strip().endswith("3 counter values differ from their tables; run with --repair to fix them")
    assert verify(app, tmp_path, "--repair") == 1
    assert capsys.readouterr().out.strip().endswith("; repaired")
    assert verify(app, tmp_path) == 0
    stats = app.get("/api/v1/statistics").json
    assert stats["images"]["total"] == 2 and {"label": "dog", "count": 2} in stats["labels"]["top"]


class Tally:
    """A plugin that counts donations per day in ``stat_daily`` and declares that counter."""

    @hookimpl
    def imagemonkey_image_donated(self, request: Any, image: Any, duplicate: bool) -> None:
        if not duplicate:
            count_daily(request.dbsession, TALLY)

    @hookimpl
    def imagemonkey_statistics_counters(self) -> list[Any]:
        def donated(dbsession: Any) -> Any:
            day = day_of(Image.created_at)
            return dbsession.execute(select(day, literal(TALLY), func.count()).group_by(day))
        return [daily_counter("tally.donated", lambda dbsession: [TALLY], donated)]


def test_hook_imagemonkey_statistics_counters(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory()
    app.app.registry.pm.register(Tally())
    token = app.post("/api/v1/clients", status=201).json["token"]
    donate(app, token, jpeg(3))
    donate(app, token, jpeg(4))
    assert counter_drifts(app) == []
    with app_request(app.app.registry) as request:
        count_daily(request.dbsession, TALLY, 3)
    (drift,) = counter_drifts(app)
    assert drift.startswith("tally.donated [") and drift.endswith(f", {TALLY}]: stored 5, counted 2")
    recount_counters(app)
    assert counter_drifts(app) == []
    app.app.registry.pm.register(Tally(), name="tally-again")
    with pytest.raises(ValueError, match="'tally.donated' is declared twice"):
        collect(app.app.registry)
    app.app.registry.pm.unregister(name="tally-again")


def test_day_of_is_the_utc_day_whatever_the_session_time_zone(app: TestApp) -> None:
    """Counters are kept by UTC day; recounting by day must read timestamps in UTC on PostgreSQL too."""
    moment = datetime(2026, 12, 6, 2, 30, tzinfo=UTC)  # still the 5th in Los Angeles
    with app_request(app.app.registry) as request:
        if request.dbsession.get_bind().dialect.name == "postgresql":
            request.dbsession.execute(text("SET LOCAL TIME ZONE 'America/Los_Angeles'"))
        assert request.dbsession.scalar(select(day_of(literal(moment, UTCDateTime())))) == "2026-12-06"
