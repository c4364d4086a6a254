"""Deleting one's account (keep or revert) and an admin's blocking, through HTTP and the command line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jobs_support import redis_settings
from sqlalchemy import select
from support import count_rows, donate, jpeg
from webtest import TestApp

from imagemonkey.cli import main
from imagemonkey.models import Contribution, Contributor, Image, ImageLabel
from imagemonkey.testing import auth, new_account, new_client, settle_now

PASSWORD = "plum-harbor-quietly-77"


@pytest.fixture
def session(app: TestApp) -> str:
    return new_account(app, "tess", "contributor", password=PASSWORD)


def named_token(app: TestApp, session: str) -> str:
    return app.post_json("/api/v1/me/tokens", {"name": "script", "scopes": ["contribute"]}, headers=auth(session),
                         status=201).json["token"]


def delete_me(app: TestApp, session: str, status: int = 200, **body: Any) -> Any:
    return app.delete_json("/api/v1/me", {"password": PASSWORD, **body}, headers=auth(session), status=status).json


def contributor_row(app: TestApp, contributor_id: int) -> Any:
    with app.app.registry["dbsession_factory"]() as session:
        return session.execute(select(Contributor).where(Contributor.id == contributor_id)).scalar_one()


def log_of(app: TestApp, contributor_id: int) -> list[tuple[str, str, bool]]:
    with app.app.registry["dbsession_factory"]() as session:
        rows = session.execute(select(Contribution.kind, Contribution.target_id, Contribution.reverted)
                               .where(Contribution.contributor_id == contributor_id).order_by(Contribution.id))
        return [tuple(row) for row in rows]


def test_delete_keeping_contributions_credits_them_to_no_one(app: TestApp, session: str) -> None:
    named = named_token(app, session)
    image = donate(app, session, jpeg(1), labels=("dog",)).json["image"]
    account_id = int(app.get("/api/v1/me", headers=auth(session)).json["client_id"])
    other = app.post_json("/api/v1/sessions", {"username": "tess", "password": PASSWORD}, status=201).json["token"]

    answer = delete_me(app, session, contributions="keep")
    assert answer == {"deleted": True, "contributions": "keep", "reverted": {}}
    for bearer in (session, named, other):  # every token of the account stops at once
        assert app.get("/api/v1/me", headers=auth(bearer), status=401).json["error"]["code"] == "unauthenticated"
    app.post_json("/api/v1/sessions", {"username": "tess", "password": PASSWORD}, status=401)
    row = contributor_row(app, account_id)
    assert (row.kind, row.name, row.password_hash, row.role) == ("deleted", None, None, "contributor")
    kept = app.get(f"/api/v1/images/{image['id']}").json  # the donation and its label stay, public
    assert kept["status"] == "public" and [label["label"] for label in kept["labels"]] == ["dog"]
    assert count_rows(app, Image, Image.donor_id == account_id) == 1
    assert log_of(app, account_id) == [("image.donate", image["id"], False), ("label.add", kept["labels"][0]["id"],
                                                                            False), ("account.delete", "keep", False)]
    app.post_json("/api/v1/accounts", {"username": "tess", "password": PASSWORD}, status=201)  # the name is free


def test_delete_reverting_undoes_every_contribution(app: TestApp, session: str) -> None:
    honest = new_client(app)
    mine = donate(app, session, jpeg(2), labels=("dog",)).json["image"]
    theirs = donate(app, honest, jpeg(3), labels=("cat",)).json["image"]
    app.post_json(f"/api/v1/images/{theirs['id']}/labels", {"labels": ["zebra"]}, headers=auth(session))
    account_id = int(app.get("/api/v1/me", headers=auth(session)).json["client_id"])

    answer = delete_me(app, session, contributions="revert")
    assert answer["contributions"] == "revert"
    assert answer["reverted"] == {"label.add": 2, "label.suggest": 0, "label.suggest_name": 0, "image.donate": 1}
    app.get("/api/v1/me", headers=auth(session), status=401)
    app.get(f"/api/v1/images/{mine['id']}", status=404)  # removed, as the moderators' revert removes it
    assert [label["label"] for label in app.get(f"/api/v1/images/{theirs['id']}").json["labels"]] == ["cat"]
    assert count_rows(app, ImageLabel, ImageLabel.contributor_id == account_id) == 0
    log = log_of(app, account_id)
    assert log[-1] == ("account.delete", "revert", False)
    assert log[:-1] and all(reverted for _, _, reverted in log[:-1])


def test_a_wrong_password_deletes_nothing(app: TestApp, session: str) -> None:
    error = delete_me(app, session, 401, password="not-my-password-at-all", contributions="keep")["error"]
    assert error["code"] == "invalid_credentials"
    assert app.get("/api/v1/me", headers=auth(session)).json["user"]["name"] == "tess"


@pytest.mark.parametrize("body", [{"contributions": "maybe"}, {"contributions": None}, {"password": PASSWORD},
                                  {"contributions": "keep", "password": 7}])
def test_bad_delete_requests_are_422(app: TestApp, session: str, body: dict[str, Any]) -> None:
    answer = app.delete_json("/api/v1/me", {"password": PASSWORD, **body} if "password" not in body else body,
                             headers=auth(session), status=422).json
    assert answer["error"]["field"] in {"contributions", "password"}
    assert app.get("/api/v1/me", headers=auth(session)).json["user"]["name"] == "tess"


def test_only_a_log_in_deletes_an_account(app: TestApp, session: str, token: str) -> None:
    for bearer in (named_token(app, session), token):
        app.delete_json("/api/v1/me", {"password": PASSWORD, "contributions": "keep"}, headers=auth(bearer),
                        status=403)
    app.delete_json("/api/v1/me", {"password": PASSWORD, "contributions": "keep"}, status=401)


def test_deletion_holds_at_once_in_another_process(app_factory: Any) -> None:
    first = app_factory()
    url = first.app.registry.settings["sqlalchemy.url"]
    if url.startswith("sqlite"):
        pytest.skip("one process serves a SQLite site; it caches log-in tokens and clears them on deletion")
    second = app_factory(**{"sqlalchemy.url": url})  # another process of the same site
    session = new_account(first, "pete", "contributor", password=PASSWORD)
    named = named_token(first, session)
    for bearer in (named, session):
        second.get("/api/v1/me", headers=auth(bearer), status=200)
    delete_me(first, session, contributions="keep")
    for bearer in (named, session):
        second.get("/api/v1/me", headers=auth(bearer), status=401)


@pytest.fixture
def admin(app: TestApp) -> str:
    return new_account(app, "root", "admin", password=PASSWORD)


def test_an_admin_blocks_and_unblocks_an_account(app: TestApp, session: str, admin: str) -> None:
    named = named_token(app, session)
    image = donate(app, session, jpeg(4)).json["image"]
    assert app.post("/api/v1/accounts/tess/block", headers=auth(admin)).json == {"name": "tess", "blocked": True}
    for bearer in (session, named):
        assert app.get("/api/v1/me", headers=auth(bearer), status=403).json["error"]["code"] == "blocked"
        error = app.post_json(f"/api/v1/images/{image['id']}/labels", {"labels": ["dog"]}, headers=auth(bearer),
                              status=403).json["error"]
        assert error["code"] == "blocked"
    login = app.post_json("/api/v1/sessions", {"username": "tess", "password": PASSWORD}, status=403)
    assert login.json["error"]["code"] == "blocked"
    assert delete_me(app, session, 403, contributions="keep")["error"]["code"] == "blocked"  # no escape by deleting
    assert app.post("/api/v1/accounts/tess/unblock", headers=auth(admin)).json == {"name": "tess", "blocked": False}
    for bearer in (session, named):
        app.get("/api/v1/me", headers=auth(bearer), status=200)
    app.post_json("/api/v1/sessions", {"username": "tess", "password": PASSWORD}, status=201)


def test_only_admins_block_and_not_themselves(app: TestApp, session: str, admin: str, moderator: str,
                                              token: str) -> None:
    for bearer in (moderator, session, token):  # a moderator cannot block an admin, nor anyone else
        for path in ("/api/v1/accounts/root/block", "/api/v1/accounts/tess/block"):
            app.post(path, headers=auth(bearer), status=403)
    app.post("/api/v1/accounts/tess/block", status=401)
    assert app.post("/api/v1/accounts/root/block", headers=auth(admin),
                    status=403).json["error"]["code"] == "cannot_block"
    assert app.post("/api/v1/accounts/nobody/block", headers=auth(admin),
                    status=404).json["error"]["code"] == "not_found"
    app.get("/api/v1/me", headers=auth(session), status=200)
    app.get("/api/v1/me", headers=auth(admin), status=200)


def test_a_block_holds_at_once_in_another_process(app_factory: Any) -> None:
    first = app_factory()
    url = first.app.registry.settings["sqlalchemy.url"]
    if url.startswith("sqlite"):
        pytest.skip("one process serves a SQLite site; its block clears its own cache")
    second = app_factory(**{"sqlalchemy.url": url})
    session = new_account(first, "pete", "contributor", password=PASSWORD)
    admin = new_account(first, "root", "admin", password=PASSWORD)
    second.get("/api/v1/me", headers=auth(session), status=200)
    first.post("/api/v1/accounts/pete/block", headers=auth(admin))
    assert second.get("/api/v1/me", headers=auth(session), status=403).json["error"]["code"] == "blocked"


def test_the_command_line_blocks_and_unblocks_in_the_serving_process(app_factory: Any, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The site's shared state (Redis) carries the change to the serving process, which caches log-in tokens on
    SQLite."""
    shared = {**redis_settings(), "imagemonkey.jobs.workers": "0"}
    app = app_factory(**shared)
    session = new_account(app, "tess", "contributor", password=PASSWORD)
    settings = {**shared, "sqlalchemy.url": app.app.registry.settings["sqlalchemy.url"],
                "imagemonkey.data_dir": str(tmp_path / "data"), "imagemonkey.plugins": ""}
    ini = tmp_path / "site.ini"
    ini.write_text("[app:main]\nuse = egg:imagemonkey\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
    app.get("/api/v1/me", headers=auth(session), status=200)  # cached where the site caches log-in tokens
    assert main(["user", "block", "tess", "--config", str(ini)]) == 0
    assert app.get("/api/v1/me", headers=auth(session), status=403).json["error"]["code"] == "blocked"
    assert main(["user", "unblock", "tess", "--config", str(ini)]) == 0
    app.get("/api/v1/me", headers=auth(session), status=200)
    assert main(["user", "block", "nobody", "--config", str(ini)]) == 1
    assert "blocked account 'tess'" in capsys.readouterr().out


def test_delete_reverting_takes_back_votes_through_the_plugins(app_factory: Any) -> None:
    from imagemonkey_validate.models import Vote

    app = app_factory(plugins=("validate",))
    donor = new_client(app)
    label_id = donate(app, donor, jpeg(5), labels=("cat",)).json["image"]["labels"][0]["id"]
    session = new_account(app, "vera", "contributor", password=PASSWORD)
    app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": "yes"}, headers=auth(session))
    settle_now(app)
    assert count_rows(app, Vote) == 1
    answer = delete_me(app, session, contributions="revert")
    settle_now(app)
    assert answer["reverted"]["validate.vote"] == 1 and count_rows(app, Vote) == 0
