"""Standing: how often a contributor's answers agreed with settled results, counting only agreement that cost something.

Other plugins weigh people by it (``validate_standing``: report's reporter weight and pre-moderation's
automatic unlock). Trust (:mod:`.voting`) weighs votes inside the consensus and is earned by agreeing
with any other vote; standing is stricter, so that tokens agreeing with each other earn nothing:

- only yes/no votes on *settled* subjects (verified or rejected) of *other* contributors (not donated or
  labelled by the voter) count;
- only where the verdict is *anchored*: a moderator, or an established contributor (:class:`.models.Established`),
  answered the same as the verdict no earlier than the voter's last answer (agreement cannot be copied
  from a visible result, and a circle that only votes on its own donations has no anchor);
- a token younger than ``validate.standing_min_age_hours`` has none; the counted votes must cover at least
  ``validate.standing_min_donors`` donors and ``validate.standing_min_days`` UTC days, or nothing counts;
- at most ``validate.standing_votes_per_hour`` votes count per clock hour, and a vote from an address that
  more than ``validate.standing_tokens_per_address`` contributors voted from counts that many / their number.

Established contributors are promoted by the ``validate.standing`` job (:mod:`.establishing`).
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select

from imagemonkey.plugin import Contributor, Setting, as_float, as_int, as_str, client_address, get_setting, utcnow

from .consensus import SETTLED
from .models import Established, Subject, Vote
from .subjects import policy_of

SETTINGS = [
    Setting("validate.standing_min_age_hours", 72.0, as_float(min=0.0),
            "A token younger than this has no standing (its agreement does not count yet)."),
    Setting("validate.standing_min_donors", 3, as_int(min=1),
            "Distinct donors whose subjects the counted votes must cover, or nothing counts."),
    Setting("validate.standing_min_days", 2, as_int(min=1),
            "Distinct UTC days the counted votes must cover, or nothing counts."),
    Setting("validate.standing_votes_per_hour", 20, as_int(min=1), "Votes that count toward standing per hour."),
    Setting("validate.standing_tokens_per_address", 4, as_int(min=1),
            "Contributors one address may hold before its votes count only this many / their number."),
    Setting("validate.standing_window", 1000, as_int(min=10), "Latest settled votes that standing reads."),
    Setting("validate.standing_anchor_evidence", 10.0, as_float(min=1.0),
            "Standing evidence that makes a contributor established (an anchor for others' standing)."),
    Setting("validate.standing_anchor_reliability", 0.8, as_float(min=0.5, max=0.99),
            "Reliability an established contributor needs."),
    Setting("validate.address_secret", "", as_str(),
            "Key of the hash that votes keep of their address; set a random string so the hashes cannot be "
            "reversed by trying every address."),
]


@dataclass(frozen=True)
class Rules:
    """The ``validate.standing_*`` settings."""

    min_age_hours: float
    min_donors: int
    min_days: int
    votes_per_hour: int
    tokens_per_address: int
    window: int
    anchor_evidence: float
    anchor_reliability: float

    @classmethod
    def of(cls, request_or_registry: Any) -> Rules:
        """The rules from the declared settings."""
        return cls(**{name: get_setting(request_or_registry, f"validate.standing_{name}")
                      for name in cls.__dataclass_fields__})


def address_key(request: Any) -> str | None:
    """A keyed 64-bit hash of the request's address (None outside HTTP), kept on votes instead of the address."""
    address = client_address(request)
    if address == "unknown":
        return None
    secret = get_setting(request, "validate.address_secret").encode()[:64]
    return hashlib.blake2b(address.encode(), key=secret, digest_size=8).hexdigest()


def verdict(state: str) -> str:
    """The answer a settled state agrees with."""
    return "yes" if state == "verified" else "no"


ANSWERED = func.coalesce(Vote.answered_at, Vote.created_at)
ANCHOR = or_(Vote.moderator.is_(True), Vote.contributor_id.in_(select(Established.contributor_id)))


def _settled_votes(dbsession: Any, contributor_id: int, window: int) -> list[Any]:
    """The contributor's latest yes/no votes on settled subjects of others."""
    rows = dbsession.execute(
        select(Vote.kind, Vote.subject_id, Vote.vote, ANSWERED.label("answered_at"), Vote.address_key,
               Subject.state, Subject.donor_id, Subject.owner_id)
        .join(Subject, and_(Subject.kind == Vote.kind, Subject.subject_id == Vote.subject_id))
        .where(Vote.contributor_id == contributor_id, Vote.vote != "unsure", Vote.moderator.is_(False),
               Subject.state.in_(SETTLED))
        .order_by(ANSWERED.desc()).limit(window)).all()
    return [row for row in rows if contributor_id not in (row.donor_id, row.owner_id)]


def _anchored(dbsession: Any, contributor_id: int, votes: list[Any]) -> dict[tuple[str, int, str], datetime]:
    """``(kind, subject_id, answer) -> latest time`` an anchor gave that answer, for the subjects of ``votes``."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for row in votes:
        by_kind[row.kind].add(row.subject_id)
    found: dict[tuple[str, int, str], datetime] = {}
    for kind, subject_ids in by_kind.items():
        for subject_id, answer, latest in dbsession.execute(
                select(Vote.subject_id, Vote.vote, func.max(ANSWERED))
                .where(Vote.kind == kind, Vote.subject_id.in_(sorted(subject_ids)), Vote.vote != "unsure",
                       Vote.contributor_id != contributor_id, ANCHOR)
                .group_by(Vote.subject_id, Vote.vote)):
            found[(kind, subject_id, answer)] = latest
    return found


def _voters_per_address(dbsession: Any, keys: set[str]) -> dict[str, int]:
    if not keys:
        return {}
    return dict(dbsession.execute(select(Vote.address_key, func.count(func.distinct(Vote.contributor_id)))
                                  .where(Vote.address_key.in_(sorted(keys))).group_by(Vote.address_key)).all())


def counted_record(dbsession: Any, rules: Rules, contributor_id: int, created_at: datetime | None,
                   now: datetime) -> tuple[float, float]:
    """``(agreed, disagreed)``: the contributor's votes that count toward standing, after the rules' caps."""
    if created_at is None or created_at > now - timedelta(hours=rules.min_age_hours):
        return 0.0, 0.0
    votes = _settled_votes(dbsession, contributor_id, rules.window)
    anchors = _anchored(dbsession, contributor_id, votes)
    counted = []
    for row in votes:
        anchored_at = anchors.get((row.kind, row.subject_id, verdict(row.state)))
        if anchored_at is not None and row.answered_at <= anchored_at:
            counted.append(row)
    donors = {row.donor_id for row in counted if row.donor_id is not None}
    days = {row.answered_at.date() for row in counted}
    if len(donors) < rules.min_donors or len(days) < rules.min_days:
        return 0.0, 0.0
    voters = _voters_per_address(dbsession, {row.address_key for row in counted if row.address_key})
    per_hour: Counter[datetime] = Counter()
    agreed = disagreed = 0.0
    for row in sorted(counted, key=lambda row: row.answered_at):
        hour = row.answered_at.replace(minute=0, second=0, microsecond=0)
        if per_hour[hour] >= rules.votes_per_hour:
            continue
        per_hour[hour] += 1
        share = min(1.0, rules.tokens_per_address / max(1, voters.get(row.address_key, 1)))
        if row.vote == verdict(row.state):
            agreed += share
        else:
            disagreed += share
    return agreed, disagreed


def standing(request: Any, contributor_ids: list[int], now: datetime | None = None) -> dict[int, dict[str, float]]:
    """``{id: {"reliability", "evidence"}}`` from each contributor's counted record (prior mean and 0 without)."""
    now = now or utcnow()
    dbsession = request.dbsession
    policy, rules = policy_of(request), Rules.of(request)
    created = dict(dbsession.execute(select(Contributor.id, Contributor.created_at)
                                     .where(Contributor.id.in_(list(contributor_ids)))).all())
    found = {}
    for contributor_id in contributor_ids:
        agreed, disagreed = counted_record(dbsession, rules, contributor_id, created.get(contributor_id), now)
        found[contributor_id] = {"reliability": policy.reliability(agreed, disagreed), "evidence": agreed + disagreed}
    return found
