"""Validate's part of a public profile: verified labels (kept when subjects settle) and agreement with the crowd."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from webtest import TestApp

sys.path.insert(0, str(Path(__file__).parent))
from validate_support import PLUGINS, donate, vote  # noqa: E402

from imagemonkey.testing import auth, counter_drifts, new_moderator, settle_now  # noqa: E402
from imagemonkey_validate import person_counts  # noqa: E402

GOOD = "plum-harbor-quietly-77"


def account(app: TestApp, name: str) -> str:
    token = app.post_json("/api/v1/accounts", {"username": name, "password": GOOD}, status=201).json["token"]
    app.patch_json("/api/v1/me", {"public_profile": True}, headers=auth(token))
    return token


def test_verified_labels_and_agreement_come_from_validate_counters(app_factory: Callable[..., TestApp],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(person_counts, "VERIFIED_BADGE", 2)
    app = app_factory(plugins=PLUGINS)
    donor, voter, moderator = account(app, "donor"), account(app, "voter"), new_moderator(app)
    labels = [donate(app, donor, ("dog",), seed=700 + i)["labels"][0]["id"] for i in range(3)]
    assert app.get("/api/v1/people/donor").json["stats"]["verified_labels"] == 0
    for label, answer in zip(labels, ("yes", "yes", "no"), strict=True):
        vote(app, voter, label, "yes")
        vote(app, moderator, label, answer)
    settle_now(app)
    donor_profile = app.get("/api/v1/people/donor").json
    assert donor_profile["stats"]["verified_labels"] == 2
    assert "validate.verified_100" in [badge["id"] for badge in donor_profile["badges"]]
    agreement = app.get("/api/v1/people/voter").json["stats"]["agreement"]
    assert agreement["settled"] >= 1 and 0 < agreement["share"] < 1
    vote(app, moderator, labels[0], "no")  # the crowd changes its mind: the label is no longer verified
    settle_now(app)
    assert app.get("/api/v1/people/donor").json["stats"]["verified_labels"] == 1
    assert counter_drifts(app) == []
    page = app.get("/people/donor").text
    assert "verified labels" in page
