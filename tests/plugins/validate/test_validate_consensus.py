"""The consensus policy (pure) and state transitions through HTTP."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from validate_support import PLUGINS, donate, image_label, vote_settled
from webtest import TestApp

from imagemonkey.testing import new_client, new_moderator
from imagemonkey_validate.consensus import Ballot, Policy

POLICY = Policy()


def test_unknown_contributors_need_several_agreeing_votes():
    assert POLICY.decide([Ballot("yes")]).state == "unverified"
    assert POLICY.decide([Ballot("yes")] * 6).state == "unverified"
    decision = POLICY.decide([Ballot("yes")] * 7)
    assert decision.state == "verified" and decision.confidence >= 0.99 and not decision.open
    assert POLICY.decide([Ballot("no")] * 7).state == "rejected"


def test_trust_weighting_proven_contributors_settle_fast_adversaries_count_against():
    proven = Ballot("yes", correct=40, wrong=2)
    assert POLICY.decide([proven, proven]).state == "verified"
    adversary = Ballot("yes", correct=1, wrong=40)
    assert POLICY.decide([adversary] * 3).state == "rejected"
    random_voter = Ballot("yes", correct=20, wrong=20)
    assert abs(POLICY.weight(20, 20)) < 0.1
    assert POLICY.decide([random_voter] * 10).state in ("unverified", "contested")


def test_unsure_retires_but_does_not_decide():
    decision = POLICY.decide([Ballot("unsure")] * 14)
    assert decision.state == "contested" and decision.open and decision.confidence == pytest.approx(0.5)
    decision = POLICY.decide([Ballot("unsure")] * 15)
    assert decision.state == "contested" and not decision.open


def test_split_votes_become_contested_and_close_at_max_votes():
    split = [Ballot("yes"), Ballot("no")] * 4
    assert POLICY.decide(split).state == "contested"
    assert POLICY.decide(split).open
    assert not POLICY.decide(split * 2).open


def test_moderator_vote_is_a_known_answer():
    assert POLICY.decide([Ballot("no")] * 5 + [Ballot("yes", moderator=True)]).state == "verified"
    assert POLICY.decide([Ballot("no", moderator=True)]).confidence == 0.0


@pytest.mark.parametrize("settings", [{"validate.min_votes": "0"}, {"validate.verify_confidence": "1.5"},
                                      {"validate.max_votes": "1", "validate.min_votes": "2"},
                                      {"validate.prior": "0"}, {"validate.trust_alpha": "-1"},
                                      {"validate.min_votes": "two"}])
def test_bad_settings_fail_at_start(app_factory: Callable[..., TestApp], settings: dict[str, str]):
    with pytest.raises(ValueError):
        app_factory(plugins=PLUGINS, **settings)


def test_settings_configure_thresholds(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS, **{"validate.min_votes": "1", "validate.verify_confidence": "0.6"})
    il = donate(app, new_client(app), ("dog",), seed=10)["labels"][0]["id"]
    assert vote_settled(app, new_client(app), il, "yes")["state"] == "verified"


def test_transitions_through_http_and_trust_learned_from_agreement(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    donor = new_client(app)
    crowd = [new_client(app) for _ in range(7)]
    labels = [donate(app, donor, ("dog",), seed=20 + i)["labels"][0]["id"] for i in range(3)]
    states = []
    for token in crowd:
        states.append(vote_settled(app, token, labels[0], "yes")["state"])
    assert states[0] == "unverified" and states[-1] == "verified"
    assert image_label(app, labels[0])["confidence"] >= 0.99
    # the same crowd has now agreed with each other: fewer of their votes settle the next label
    needed = 0
    for token in crowd:
        needed += 1
        if vote_settled(app, token, labels[1], "no")["state"] == "rejected":
            break
    assert needed < 7
    # a moderator's answer decides at once
    assert vote_settled(app, new_moderator(app), labels[2], "no")["state"] == "rejected"


def test_contested_at_max_votes(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS, **{"validate.max_votes": "4", "validate.contested_votes": "4"})
    il = donate(app, new_client(app), ("dog",), seed=30)["labels"][0]["id"]
    for value in ("yes", "no", "yes", "no"):
        doc = vote_settled(app, new_client(app), il, value)
    assert doc["state"] == "contested"
