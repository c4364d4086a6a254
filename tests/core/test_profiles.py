"""Profiles (docs/profiles.md): hidden unless public, opt-ins, /me's today and streak, badges and the weekly
top list, all read from the person counters, which agree with a recount of the contribution log."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, update
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.hookspecs import hookimpl
from imagemonkey.models import Contribution, Contributor, PersonTotal
from imagemonkey.testing import auth, counter_drifts, new_client, recount_counters

GOOD = "plum-harbor-quietly-77"


def sign_up(app: TestApp, name: str) -> str:
    return app.post_json("/api/v1/accounts", {"username": name, "password": GOOD}, status=201).json["token"]


def make_public(app: TestApp, token: str, **opt_ins: bool) -> Any:
    return app.patch_json("/api/v1/me", opt_ins or {"public_profile": True}, headers=auth(token), status=200).json


def test_a_profile_is_hidden_until_its_account_makes_it_public(app: TestApp) -> None:
    token = sign_up(app, "alice")
    donate(app, token, jpeg(1), labels=("dog",))
    assert app.get("/api/v1/people/alice", status=404).json["error"]["code"] == "not_found"
    app.get("/people/alice", status=404)
    assert make_public(app, token) == {"public_profile": True, "top_list": False}
    profile = app.get("/api/v1/people/alice", status=200).json
    assert profile["name"] == "alice" and profile["stats"]["donations"] == 1 and profile["stats"]["labels"] == 1
    assert profile["counts"] == {"image.donate": 1, "label.add": 1} and profile["streak_days"] == 1
    assert [badge["id"] for badge in profile["badges"]] == ["first_donation", "top_week", "top_kind_week",
                                                             "top_kind_week", "top_label_week"]
    assert [badge["name"] for badge in profile["badges"] if badge["id"] == "top_kind_week"] == [
        "Top donor this week", "Top labeller this week"]
    assert profile["stats"]["top_labels"] == [{"label": "dog", "count": 1}]
    assert len(profile["calendar"]) >= 78 and profile["calendar"][-1]["count"] == 2
    page = app.get("/people/alice", status=200)
    assert "alice" in page.text and "First donation" in page.text and "Top of dog this week" in page.text
    make_public(app, token, public_profile=False)
    app.get("/api/v1/people/alice", status=404)


def test_an_unknown_or_anonymous_name_is_404(app: TestApp) -> None:
    assert app.get("/api/v1/people/nobody", status=404).json["error"]["code"] == "not_found"


@pytest.mark.parametrize("body", [{"public_profile": "yes"}, {"top_list": 1}, {"public_profile": None},
                                  {"nickname": "x"}, {}])
def test_bad_opt_ins_are_422(app: TestApp, body: dict[str, Any]) -> None:
    token = sign_up(app, "bob")
    error = app.patch_json("/api/v1/me", body, headers=auth(token), status=422).json["error"]
    assert error["code"] == "invalid" and error["message"]


def test_opt_ins_need_an_account(app: TestApp) -> None:
    assert app.patch_json("/api/v1/me", {"public_profile": True}, status=401).json["error"]["code"] \
        == "unauthenticated"
    anonymous = new_client(app)
    assert app.patch_json("/api/v1/me", {"public_profile": True}, headers=auth(anonymous),
                          status=403).json["error"]["code"] == "forbidden"
    app.patch("/api/v1/me", "not json", headers={**auth(sign_up(app, "carl")), "Content-Type": "application/json"},
              status=400)


def test_me_shows_today_and_the_streak(app: TestApp) -> None:
    token = new_client(app)
    assert app.get("/api/v1/me", headers=auth(token)).json["today"] == {"total": 0}
    donate(app, token, jpeg(2), labels=("cat", "dog"))
    me = app.get("/api/v1/me", headers=auth(token)).json
    assert me["today"] == {"image.donate": 1, "label.add": 2, "total": 3} and me["streak_days"] == 1
    account = sign_up(app, "dora")
    assert app.get("/api/v1/me", headers=auth(account)).json["public_profile"] is False


def seed_log(app: TestApp, contributor_id: int, days_ago: list[int], kind: str = "validate.vote") -> None:
    """Log entries on past days straight into the database, then recount (an operator's bulk import)."""
    session = app.app.registry["dbsession_factory"]()
    now = datetime.now(UTC)
    session.execute(insert(Contribution), [
        {"contributor_id": contributor_id, "kind": kind, "target_id": str(n), "created_at": now - timedelta(days=n),
         "reverted": False} for n in days_ago])
    session.commit()
    session.close()
    recount_counters(app)


def account_id(app: TestApp, token: str) -> int:
    return int(app.get("/api/v1/me", headers=auth(token)).json["id"])


def test_the_streak_badge_and_calendar_come_from_the_daily_counters(app: TestApp) -> None:
    token = sign_up(app, "erin")
    make_public(app, token)
    seed_log(app, account_id(app, token), [1, 2, 3, 4, 5, 6])
    profile = app.get("/api/v1/people/erin").json
    assert profile["streak_days"] == 6 and "streak_7" not in [badge["id"] for badge in profile["badges"]]
    assert profile["counts"] == {"validate.vote": 6} and profile["stats"]["votes"] == 6
    seed_log(app, account_id(app, token), [7, 30, 100])
    profile = app.get("/api/v1/people/erin").json
    assert profile["streak_days"] == 7 and "streak_7" in [badge["id"] for badge in profile["badges"]]
    assert sum(cell["count"] for cell in profile["calendar"]) == 8  # 100 days ago is outside 12 weeks


def test_the_weekly_top_list_shows_opted_in_names_only(app: TestApp) -> None:
    listed, hidden = sign_up(app, "frank"), sign_up(app, "gina")
    make_public(app, listed, top_list=True)
    for n, who in enumerate([listed, hidden, hidden]):
        donate(app, who, jpeg(10 + n))
    page = app.get("/statistics").text
    assert "Top contributors this week" in page and "frank" in page and "gina" not in page
    assert 'href="/people/frank"' not in page  # listed, but its profile is not public
    make_public(app, listed, public_profile=True)
    assert 'href="/people/frank"' in app.get("/statistics").text


def test_top_of_a_label_this_week_and_the_labels_helped_most(app: TestApp) -> None:
    ivy, jon = sign_up(app, "ivy"), sign_up(app, "jon")
    make_public(app, ivy)
    make_public(app, jon)
    for n in range(3):
        donate(app, ivy, jpeg(40 + n), labels=("cat", "dog") if n else ("cat",))
    for n in range(3):
        donate(app, jon, jpeg(50 + n), labels=("dog",))
    ivy_profile = app.get("/api/v1/people/ivy").json
    assert ivy_profile["stats"]["top_labels"] == [{"label": "cat", "count": 3}, {"label": "dog", "count": 2}]
    assert [badge["label"] for badge in ivy_profile["badges"] if badge["id"] == "top_label_week"] == ["cat"]
    jon_badges = app.get("/api/v1/people/jon").json["badges"]
    assert [badge["label"] for badge in jon_badges if badge["id"] == "top_label_week"] == ["dog"]
    # a tie (three donations each) gives both the donor badge; ivy's five labels beat jon's three
    assert [badge["kind"] for badge in ivy_profile["badges"] if badge["id"] == "top_kind_week"] == [
        "image.donate", "label.add"]
    assert [badge["kind"] for badge in jon_badges if badge["id"] == "top_kind_week"] == ["image.donate"]


@pytest.mark.counters_unchecked("breaks a person counter on purpose to see stats verify find it")
def test_person_counters_agree_with_a_recount_and_drift_is_found(app: TestApp) -> None:
    token = new_client(app)
    donate(app, token, jpeg(20), labels=("dog",))
    donate(app, token, jpeg(21))
    assert counter_drifts(app) == []
    session = app.app.registry["dbsession_factory"]()
    contributor_id = account_id(app, token)
    session.execute(update(PersonTotal).where(PersonTotal.contributor_id == contributor_id,
                                              PersonTotal.kind == "image.donate").values(count=5))
    session.execute(update(Contributor).where(Contributor.id == contributor_id).values(top_list=True))
    session.commit()
    session.close()
    assert counter_drifts(app) == [f"core.person_total [{contributor_id}, image.donate]: stored 5, counted 2"]


def test_hook_imagemonkey_profile(app: TestApp) -> None:
    seen: list[tuple[str, dict[str, int]]] = []

    class Extra:
        @hookimpl
        def imagemonkey_profile(self, request: Any, account: Any, counts: dict[str, int]) -> dict[str, Any]:
            seen.append((account.name, counts))
            return {"stats": {"kind_count": len(counts)},
                    "badges": [{"id": "extra.helper", "name": "Helper", "rule": "helped"}]}

    app.app.registry.pm.register(Extra())
    token = sign_up(app, "hank")
    donate(app, token, jpeg(30), labels=("dog",))
    make_public(app, token)
    profile = app.get("/api/v1/people/hank").json
    assert profile["stats"]["kind_count"] == 2 and profile["badges"][-1]["id"] == "extra.helper"
    assert seen == [("hank", {"image.donate": 1, "label.add": 1})]
    assert "Helper" in app.get("/people/hank").text
