"""Standing counts only agreement that cost something (issue 21, item 3): anchored by a moderator or an established
contributor and given before them, on other contributors' settled subjects, from a token old enough, over enough
donors and days, capped per hour and shared per address; the ``validate.standing`` job establishes anchors."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import update
from validate_support import PLUGINS, donate
from webtest import TestApp

from imagemonkey.jobs import enqueue_job
from imagemonkey.models import Contributor
from imagemonkey.models.types import utcnow
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs, settle_now

NOW = utcnow().replace(minute=30)
TWO_DAYS_AGO, YESTERDAY = NOW - timedelta(days=2), NOW - timedelta(days=1)
#: Three agreeing votes of unknown voters settle a label (so that the crowd settles subjects without a moderator).
QUICK = {"validate.verify_confidence": "0.85"}


def contributor_id(app: TestApp, token: str) -> int:
    return int(app.get("/api/v1/me", headers=auth(token)).json["id"])


def aged(app: TestApp, days: int = 30) -> str:
    """A token whose contributor is ``days`` old."""
    token = new_client(app)
    with app_request(app.app.registry) as request:
        request.dbsession.execute(update(Contributor).where(Contributor.id == contributor_id(app, token))
                                  .values(created_at=utcnow() - timedelta(days=days)))
    return token


def dogs(app: TestApp, seed: int, donors: int = 3, each: int = 2) -> list[str]:
    """Image label ids of ``donors x each`` dogs, each donor a fresh token."""
    tokens = [new_client(app) for _ in range(donors)]
    return [donate(app, tokens[n % donors], seed=seed + n)["labels"][0]["id"] for n in range(donors * each)]


def answer(app: TestApp, token: str, label_ids: list[str], when: list[datetime], value: str = "yes",
           address: str = "10.1.0.1") -> None:
    """Vote ``value`` on each label from ``address``, then date each answer as given at ``when`` (the clock of the
    set-up: answers given over several days)."""
    from imagemonkey_validate.models import Vote

    for label_id in label_ids:
        app.post_json(f"/api/v1/image-labels/{label_id}/votes", {"vote": value}, headers=auth(token),
                      extra_environ={"REMOTE_ADDR": address})
    settle_now(app)
    voter = contributor_id(app, token)
    with app_request(app.app.registry) as request:
        for label_id, at in zip(label_ids, when, strict=True):
            request.dbsession.execute(update(Vote).where(Vote.contributor_id == voter,
                                                         Vote.subject_id == int(label_id)).values(answered_at=at))


def standing(app: TestApp, token: str) -> dict[str, float]:
    voter = contributor_id(app, token)
    with app_request(app.app.registry) as request:
        return request.registry.pm.hook.validate_standing(request=request, contributor_ids=[voter])[voter]


def two_days(count: int) -> list[datetime]:
    """Half the answers two days ago, half yesterday (each half within one clock hour)."""
    return [TWO_DAYS_AGO if n % 2 == 0 else YESTERDAY for n in range(count)]


def test_only_anchored_agreement_of_an_old_enough_token_over_donors_and_days_counts(
        app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS, **QUICK)
    labels = dogs(app, seed=10)
    honest, young, narrow, one_day, copier = aged(app), new_client(app), aged(app), aged(app), aged(app)
    answer(app, honest, labels, two_days(6), address="10.1.0.1")
    answer(app, young, labels, two_days(6), address="10.1.0.2")
    answer(app, narrow, [labels[n] for n in (0, 1, 3, 4)], two_days(4), address="10.1.0.3")  # two donors only
    answer(app, one_day, labels, [TWO_DAYS_AGO] * 6, address="10.1.0.4")
    assert {label["state"] for label in (app.get(f"/api/v1/image-labels/{i}").json for i in labels)} == {"verified"}
    assert standing(app, honest) == {"reliability": 4 / 6, "evidence": 0.0}  # the crowd agreed, nobody anchored it
    answer(app, new_moderator(app), labels, [YESTERDAY + timedelta(hours=1)] * 6)
    answer(app, copier, labels, [YESTERDAY + timedelta(hours=2), NOW] * 3, address="10.1.0.5")  # after the anchor
    assert standing(app, honest) == {"reliability": (4 + 6) / (6 + 6), "evidence": 6.0}
    assert [standing(app, token)["evidence"] for token in (young, narrow, one_day, copier)] == [0.0] * 4


def test_votes_per_hour_and_per_address_are_capped(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS, **{"validate.standing_votes_per_hour": "2",
                                          "validate.standing_tokens_per_address": "1"})
    labels = dogs(app, seed=30)
    honest = aged(app)
    answer(app, honest, labels, two_days(6), address="10.2.0.1")
    answer(app, new_moderator(app), labels, [NOW] * 6)
    assert standing(app, honest)["evidence"] == 4.0  # 3 answers in each of two hours, 2 count in each
    answer(app, aged(app), dogs(app, seed=40, donors=1, each=1), [NOW], address="10.2.0.1")
    assert standing(app, honest)["evidence"] == 2.0  # two contributors from that address: each vote counts 1/2


def establish(app: TestApp, moderator: str) -> dict[str, int]:
    """Run the ``validate.standing`` job now; returns its result."""
    with app_request(app.app.registry) as request:
        job_id = enqueue_job(request, "validate.standing")
    run_jobs(app)
    job = app.get(f"/api/v1/jobs/{job_id}", headers=auth(moderator)).json
    assert job["state"] == "done", job
    return job["result"]


def test_a_circle_earns_nothing_and_established_contributors_anchor(app_factory: Callable[..., TestApp]) -> None:
    from imagemonkey_validate.models import Established

    app = app_factory(plugins=PLUGINS, **QUICK, **{"validate.standing_anchor_evidence": "5"})
    donors = [aged(app) for _ in range(3)]
    circle_labels = [donate(app, donors[n % 3], seed=50 + n)["labels"][0]["id"] for n in range(6)]
    circle = [aged(app) for _ in range(6)]
    for n, token in enumerate(circle):  # old tokens, three addresses, three donors, two days: still no anchor
        answer(app, token, circle_labels, two_days(6), address=f"10.3.0.{n % 3}")
    assert [standing(app, token)["evidence"] for token in circle] == [0.0] * 6
    honest, moderator = aged(app), new_moderator(app)
    honest_labels = dogs(app, seed=60)
    answer(app, honest, honest_labels, two_days(6), address="10.3.1.1")
    assert establish(app, moderator) == {"promoted": 0, "demoted": 0}
    answer(app, moderator, honest_labels, [NOW] * 6)
    assert establish(app, moderator) == {"promoted": 1, "demoted": 0}
    newcomer = aged(app)
    later = dogs(app, seed=70)
    answer(app, newcomer, later, two_days(6), address="10.3.2.1")
    answer(app, honest, later, [NOW] * 6, address="10.3.1.1")  # no moderator: the established one anchors
    assert {label["state"] for label in (app.get(f"/api/v1/image-labels/{i}").json for i in later)} == {"verified"}
    assert standing(app, newcomer)["evidence"] == 6.0
    honest_id = contributor_id(app, honest)
    app.post_json(f"/api/v1/contributors/{honest_id}/revert", {}, headers=auth(moderator))
    with app_request(app.app.registry) as request:
        assert request.dbsession.get(Established, honest_id) is None
    assert standing(app, newcomer)["evidence"] == 0.0


def test_the_standing_job_demotes_an_anchor_whose_record_falls(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=PLUGINS, **{"validate.standing_anchor_evidence": "5"})
    honest, moderator = aged(app), new_moderator(app)
    right, wrong = dogs(app, seed=80), dogs(app, seed=90)
    answer(app, honest, right, two_days(6), address="10.4.0.1")
    answer(app, moderator, right, [NOW] * 6)
    assert establish(app, moderator) == {"promoted": 1, "demoted": 0}
    answer(app, honest, wrong, two_days(6), address="10.4.0.1")
    answer(app, moderator, wrong, [NOW] * 6, value="no")  # reliability (4 + 6) / (6 + 12) < 0.8
    assert standing(app, honest) == {"reliability": 10 / 18, "evidence": 12.0}
    assert establish(app, moderator) == {"promoted": 0, "demoted": 1}
