"""Logging in with ``"claim": true``: an anonymous browser's whole history moves to an existing account.

Every kind of contribution moves (donations, labels, captions and caption votes, votes, outlines, reports,
refine answers, person counters); what both made on the same subject stays one (the account's); the anonymous
token is spent; a second claim changes nothing. The app fixture recounts every counter after each test.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from support import jpeg
from webtest import TestApp

from imagemonkey.models import Caption, CaptionVote, Contribution, Image, PersonTotal
from imagemonkey.plugin import hookimpl
from imagemonkey.testing import auth, donate, new_client, new_moderator, settle_now

PASSWORD = "plum-harbor-quietly-77"
PLUGINS = ("validate", "annotate", "report", "refine")
RECT = {"shapes": [{"type": "rect", "x": 10, "y": 10, "width": 40, "height": 30}]}


def log_in(app: TestApp, name: str, token: str | None = None, status: int = 201, **extra: Any) -> Any:
    """POST /api/v1/sessions, with ``token`` in Authorization when given."""
    return app.post_json("/api/v1/sessions", {"username": name, "password": PASSWORD, **extra},
                         headers=auth(token) if token else {}, status=status).json


def sign_up(app: TestApp, name: str) -> str:
    """A new account's session token."""
    return app.post_json("/api/v1/accounts", {"username": name, "password": PASSWORD}, status=201).json["token"]


def act(app: TestApp, token: str, label_id: str, image_id: str, caption_id: str, note: str) -> None:
    """One of each kind of contribution on the shared image: a vote, a report, a refine answer, a caption and
    a vote on someone else's caption."""
    app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": "yes" if note == "anon" else "no"},
                  headers=auth(token))
    app.post_json(f"/api/v1/images/{image_id}/reports", {"reason": "spam"}, headers=auth(token))
    app.post_json(f"/api/v1/image-labels/{label_id}/properties", {"property": "color", "value": "brown"},
                  headers=auth(token))
    app.post_json(f"/api/v1/images/{image_id}/captions", {"text": f"a dog, says {note}", "language": "en"},
                  headers=auth(token))
    app.post_json(f"/api/v1/captions/{caption_id}/votes", {"vote": "up"}, headers=auth(token))


@pytest.fixture
def claim_app(app_factory: Callable[..., TestApp]) -> TestApp:
    return app_factory(plugins=PLUGINS, **{"report.hide_threshold": "100", "report.screening": "false"})


def rows(app: TestApp, statement: Any) -> list[Any]:
    with app.app.registry["dbsession_factory"]() as session:
        return list(session.execute(statement).all())


def test_log_in_with_claim_moves_every_kind_and_keeps_one_vote_per_subject(claim_app: TestApp) -> None:
    from imagemonkey_refine.models import Answer
    from imagemonkey_report.models import Report

    from imagemonkey_validate.models import Subject, Trust, Vote

    app = claim_app
    other = new_client(app)
    shared = donate(app, other, jpeg(1), labels=("dog",)).json["image"]
    label_id, image_id = shared["labels"][0]["id"], shared["id"]
    caption_id = app.post_json(f"/api/v1/images/{image_id}/captions", {"text": "a brown dog", "language": "en"},
                               headers=auth(other)).json["id"]
    account = sign_up(app, "hana")
    account_id = int(app.get("/api/v1/me", headers=auth(account)).json["client_id"])
    act(app, account, label_id, image_id, caption_id, "hana")
    anonymous = new_client(app)
    anonymous_id = int(app.get("/api/v1/me", headers=auth(anonymous)).json["client_id"])
    own = donate(app, anonymous, jpeg(2), labels=("cat",)).json["image"]
    app.post_json(f"/api/v1/image-labels/{own['labels'][0]['id']}/annotations", RECT, headers=auth(anonymous))
    act(app, anonymous, label_id, image_id, caption_id, "anon")
    settle_now(app)

    answer = log_in(app, "hana", anonymous, claim=True)
    assert answer["user"]["id"] == str(account_id) and answer["claimed"]["image.donate"] == 1
    settle_now(app)
    me = app.get("/api/v1/me", headers=auth(answer["token"])).json
    assert (me["counts"]["image.donate"], me["counts"]["annotate.revision"], me["counts"]["caption.add"]) == (1, 1, 2)
    for kind in ("validate.vote", "report.report", "refine.answer", "caption.vote"):
        assert me["counts"][kind] == 1, kind  # both on the same subject: one live write, the account's
    assert me["counts"]["account.claim"] == 1
    assert rows(app, select(Image.donor_id).where(Image.id == int(own['id']))) == [(account_id,)]
    votes = rows(app, select(Vote.contributor_id, Vote.vote).where(Vote.subject_id == int(label_id)))
    assert votes == [(account_id, "no")]
    assert rows(app, select(Subject.owner_id, Subject.donor_id).where(
        Subject.subject_id == int(own["labels"][0]["id"]))) == [(account_id, account_id)]
    assert rows(app, select(Trust.contributor_id).where(Trust.contributor_id == anonymous_id)) == []
    assert rows(app, select(Report.contributor_id).where(Report.image_id == int(image_id))) == [(account_id,)]
    assert rows(app, select(Answer.contributor_id).where(Answer.image_label_id == int(label_id))) == [(account_id,)]
    assert rows(app, select(CaptionVote.contributor_id).where(CaptionVote.caption_id == int(caption_id))) == [
        (account_id,)]
    assert rows(app, select(Caption.up, Caption.down).where(Caption.id == int(caption_id))) == [(1, 0)]
    assert rows(app, select(func.count()).select_from(Contribution).where(
        Contribution.contributor_id == anonymous_id)) == [(0,)]
    assert rows(app, select(func.count()).select_from(PersonTotal).where(
        PersonTotal.contributor_id == anonymous_id)) == [(0,)]
    # the anonymous token is spent: it no longer authenticates, and a second claim with it changes nothing
    app.get("/api/v1/me", headers=auth(anonymous), status=401)
    again = log_in(app, "hana", anonymous, status=401, claim=True)
    assert again["error"]["code"] == "unauthenticated"
    assert app.get("/api/v1/me", headers=auth(answer["token"])).json["counts"] == me["counts"]


def test_log_in_without_claim_moves_nothing(claim_app: TestApp) -> None:
    sign_up(claim_app, "ida")
    anonymous = new_client(claim_app)
    donate(claim_app, anonymous, jpeg(3), labels=("cat",))
    answer = log_in(claim_app, "ida", anonymous)
    assert "claimed" not in answer
    assert claim_app.get("/api/v1/me", headers=auth(answer["token"])).json["counts"] == {}
    assert claim_app.get("/api/v1/me", headers=auth(anonymous)).json["counts"]["image.donate"] == 1


def test_claim_needs_an_anonymous_token_and_a_boolean(claim_app: TestApp) -> None:
    account = sign_up(claim_app, "jon")
    assert log_in(claim_app, "jon", status=422, claim=True)["error"]["code"] == "not_claimable"
    assert log_in(claim_app, "jon", account, status=422, claim=True)["error"]["code"] == "not_claimable"
    anonymous = new_client(claim_app)
    assert log_in(claim_app, "jon", anonymous, status=422, claim="yes")["error"]["code"] == "invalid"
    wrong = claim_app.post_json("/api/v1/sessions", {"username": "jon", "password": "not-the-password-1",
                                                     "claim": True}, headers=auth(anonymous), status=401).json
    assert wrong["error"]["code"] == "invalid_credentials"
    assert claim_app.get("/api/v1/me", headers=auth(anonymous)).status_int == 200  # a failed log-in spends nothing


def test_hook_imagemonkey_contributor_merged(app: TestApp) -> None:
    calls: list[tuple[int, int, int]] = []

    class Watcher:
        @hookimpl
        def imagemonkey_contributor_merged(self, request: Any, source_id: int, target_id: int) -> dict[str, int]:
            # called before core moves its tables: the source still owns its log entries
            logged = request.dbsession.scalar(select(func.count()).select_from(Contribution).where(
                Contribution.contributor_id == source_id))
            calls.append((source_id, target_id, logged))
            return {"watcher.thing": 7}

    app.app.registry.pm.register(Watcher())
    sign_up(app, "kim")
    anonymous = new_client(app)
    source = int(app.get("/api/v1/me", headers=auth(anonymous)).json["client_id"])
    donate(app, anonymous, jpeg(4), labels=("cat",))
    answer = log_in(app, "kim", anonymous, claim=True)
    assert calls == [(source, int(answer["user"]["id"]), 2)] and answer["claimed"]["watcher.thing"] == 7


def test_marks_and_skips_made_by_both_stay_one(claim_app: TestApp) -> None:
    from imagemonkey_annotate.models import NotAnnotatable, Skip

    app = claim_app
    other = new_client(app)
    labels = donate(app, other, jpeg(5), labels=("dog", "cat")).json["image"]["labels"]
    account = sign_up(app, "lea")
    anonymous = new_client(app)
    for token in (account, anonymous):
        app.post(f"/api/v1/image-labels/{labels[0]['id']}/not-annotatable", headers=auth(token))
        app.post(f"/api/v1/image-labels/{labels[0]['id']}/skip", headers=auth(token))
    app.post(f"/api/v1/image-labels/{labels[1]['id']}/not-annotatable", headers=auth(anonymous))
    answer = log_in(app, "lea", anonymous, claim=True)
    account_id = int(answer["user"]["id"])
    assert answer["claimed"]["annotate.not_annotatable"] == 1  # the label only the anonymous one marked
    marks = rows(app, select(NotAnnotatable.image_label_id, NotAnnotatable.contributor_id)
                 .order_by(NotAnnotatable.image_label_id))
    assert marks == [(int(labels[0]["id"]), account_id), (int(labels[1]["id"]), account_id)]
    skips = rows(app, select(Skip.image_label_id, Skip.contributor_id).order_by(Skip.image_label_id))
    assert skips == marks  # a mark skips the label too; the skip both made is one
    counts = app.get("/api/v1/me", headers=auth(answer["token"])).json["counts"]
    assert counts["annotate.not_annotatable"] == 2  # the account's own and the one only the browser made


def test_a_reporters_standing_is_added_to_the_accounts(claim_app: TestApp) -> None:
    from imagemonkey_report.models import Standing

    app = claim_app
    moderator = new_moderator(app)
    other = new_client(app)
    images = [donate(app, other, jpeg(10 + n), labels=("dog",)).json["image"]["id"] for n in range(2)]
    account = sign_up(app, "mia")
    anonymous = new_client(app)
    for token, image_id in ((account, images[0]), (anonymous, images[1])):
        app.post_json(f"/api/v1/images/{image_id}/reports", {"reason": "spam"}, headers=auth(token))
        app.post_json("/api/v1/moderation/decisions", {"image_id": image_id, "decision": "keep", "reason": "fine"},
                      headers=auth(moderator), status=201)
    answer = log_in(app, "mia", anonymous, claim=True)
    standing = rows(app, select(Standing.contributor_id, Standing.dismissed, Standing.upheld))
    assert standing == [(int(answer["user"]["id"]), 2, 0)]
