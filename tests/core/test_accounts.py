"""Sign-up through the API: the password rule, names, the rate limit, and claiming an anonymous token's history."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from support import donate, jpeg
from webtest import TestApp

from imagemonkey.models import Contributor, Image
from imagemonkey.testing import auth, new_client, settle_now

GOOD = "plum-harbor-quietly-77"


def sign_up(app: TestApp, name: str, password: str = GOOD, status: int = 201, **extra: Any) -> Any:
    return app.post_json("/api/v1/accounts", {"username": name, "password": password, **extra},
                         headers=extra.pop("headers", {}), status=status).json


def test_sign_up_answers_a_session_token_that_logs_in(app: TestApp) -> None:
    answer = sign_up(app, "alice")
    assert answer["user"]["name"] == "alice" and answer["user"]["roles"] == ["contributor"]
    me = app.get("/api/v1/me", headers=auth(answer["token"])).json
    assert me["user"] == {"name": "alice", "roles": ["contributor"]} and me["kind"] == "account"
    assert me["counts"] == {} and me["client_id"] == answer["user"]["id"]
    login = app.post_json("/api/v1/sessions", {"username": "alice", "password": GOOD}, status=201).json
    assert login["user"]["id"] == answer["user"]["id"]


@pytest.mark.parametrize("password", ["short-pw", "password1234", "PassWord1234", "123456789012",
                                      "aaaaaaaaaaaaaaa", "ababababababab", "bob-the-builder-bob"])
def test_weak_passwords_are_422_and_create_nothing(app: TestApp, dbsession: Any, password: str) -> None:
    error = sign_up(app, "bob-the-builder", password, status=422)["error"]
    assert error["code"] == "weak_password" and error["field"] == "password"
    assert dbsession.scalar(select(func.count()).select_from(Contributor)) == 0


@pytest.mark.parametrize("name", ["", "a", "x" * 33, "-dash", "with space", "ünï", 7, None])
def test_bad_names_are_422(app: TestApp, name: object) -> None:
    app.post_json("/api/v1/accounts", {"username": name, "password": GOOD}, status=422)


def test_a_taken_name_is_409(app: TestApp) -> None:
    sign_up(app, "carol")
    assert sign_up(app, "carol", "another-good-passphrase", status=409)["error"]["code"] == "name_taken"


def test_sign_ups_are_rate_limited_per_address(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.rate_limit.clients": "2/minute"})
    here = {"REMOTE_ADDR": "10.9.0.1"}
    for n in range(2):
        app.post_json("/api/v1/accounts", {"username": f"user{n}", "password": GOOD}, extra_environ=here, status=201)
    limited = app.post_json("/api/v1/accounts", {"username": "user9", "password": GOOD}, extra_environ=here,
                            status=429)
    assert limited.json["error"]["code"] == "rate_limited" and limited.headers["Retry-After"]
    app.post_json("/api/v1/accounts", {"username": "user9", "password": GOOD},
                  extra_environ={"REMOTE_ADDR": "10.9.0.2"}, status=201)


def test_claim_moves_the_anonymous_history_to_the_account(app: TestApp, dbsession: Any) -> None:
    anonymous = new_client(app)
    image = donate(app, anonymous, jpeg(1), labels=("dog",)).json["image"]["id"]
    donor = app.get("/api/v1/me", headers=auth(anonymous)).json["client_id"]
    before = app.get("/api/v1/contributors/me/summary", headers=auth(anonymous)).json
    answer = sign_up(app, "dana", claim=True, headers=auth(anonymous))
    assert answer["user"]["id"] == donor  # the contributor row itself became the account
    token = answer["token"]
    assert app.get("/api/v1/contributors/me/summary", headers=auth(token)).json["total"] == before["total"] > 0
    mine = app.get("/api/v1/images?donor=me", headers=auth(token)).json["images"]
    assert [found["id"] for found in mine] == [image]
    assert dbsession.scalar(select(Image.donor_id).where(Image.id == int(image))) == int(donor)
    assert dbsession.scalar(select(func.count()).select_from(Contributor)) == 1
    # the anonymous token is spent: a second claim with it changes nothing
    again = sign_up(app, "dana2", claim=True, headers=auth(anonymous), status=401)
    assert again["error"]["code"] == "unauthenticated"
    assert dbsession.scalar(select(func.count()).select_from(Contributor)) == 1
    assert dbsession.scalar(select(Contributor.name).where(Contributor.id == int(donor))) == "dana"


def test_claim_without_an_anonymous_token_is_422(app: TestApp) -> None:
    assert sign_up(app, "erin", claim=True, status=422)["error"]["code"] == "not_claimable"
    account = sign_up(app, "frank")["token"]
    sign_up(app, "frank2", claim=True, headers=auth(account), status=422)


def test_a_claimed_vote_is_still_one_vote(app_factory: Callable[..., TestApp]) -> None:
    from imagemonkey_validate.models import Vote

    app = app_factory(plugins=("validate",))
    donor, voter = new_client(app), new_client(app)
    label_id = donate(app, donor, jpeg(3), labels=("cat",)).json["image"]["labels"][0]["id"]
    app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": "yes"}, headers=auth(voter))
    settle_now(app)
    account = sign_up(app, "gina", claim=True, headers=auth(voter))["token"]
    app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": "yes"}, headers=auth(account), status="*")
    settle_now(app)
    with app.app.registry["dbsession_factory"]() as session:
        votes = session.execute(select(Vote.contributor_id).where(Vote.subject_id == int(label_id))).all()
    me = app.get("/api/v1/me", headers=auth(account)).json
    assert [row.contributor_id for row in votes] == [int(me["client_id"])]
    assert "validate.vote" in me["counts"]  # the vote cast before the claim counts for the account
