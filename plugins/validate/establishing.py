"""The ``validate.standing`` job: contributors whose counted record is long and reliable become established.

An established contributor anchors other people's standing (:mod:`.standing`): agreeing with their answer
counts. Moderators anchor from the start; everyone else earns it with a counted record of at least
``validate.standing_anchor_evidence`` and a reliability of at least ``validate.standing_anchor_reliability``,
and loses it when a later run finds the record below that. Each run looks at the voters of subjects
settled since shortly before the previous run.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from imagemonkey.plugin import Contributor, JobContext, app_request, utcnow

from .consensus import SETTLED
from .models import Established, Subject, Vote
from .standing import Rules, counted_record
from .subjects import policy_of

EVERY_SECONDS = 3600
#: Each run looks this far back, so that a run that starts late misses nothing the previous one did not see.
LOOK_BACK = timedelta(seconds=2 * EVERY_SECONDS)
MAX_PER_RUN = 5000


def recent_voters(dbsession: Any, since: datetime) -> list[tuple[int, datetime, str]]:
    """``(id, created_at, role)`` of the voters of subjects settled since ``since`` (at most ``MAX_PER_RUN``)."""
    return list(dbsession.execute(
        select(Contributor.id, Contributor.created_at, Contributor.role).where(Contributor.id.in_(
            select(Vote.contributor_id).join(Subject, (Subject.kind == Vote.kind)
                                             & (Subject.subject_id == Vote.subject_id))
            .where(Subject.updated_at >= since, Subject.state.in_(SETTLED))))
        .order_by(Contributor.id).limit(MAX_PER_RUN)).all())


def establish(request: Any, since: datetime, now: datetime | None = None) -> dict[str, int]:
    """Promote or demote the voters of subjects settled since ``since``; returns the counts."""
    now = now or utcnow()
    dbsession = request.dbsession
    policy, rules = policy_of(request), Rules.of(request)
    established = set(dbsession.scalars(select(Established.contributor_id)))
    promoted = demoted = 0
    for contributor_id, created_at, role in recent_voters(dbsession, since):
        if role != "contributor":
            continue  # moderators anchor through their votes' moderator flag
        agreed, disagreed = counted_record(dbsession, rules, contributor_id, created_at, now)
        meets = (agreed + disagreed >= rules.anchor_evidence
                 and policy.reliability(agreed, disagreed) >= rules.anchor_reliability)
        if meets and contributor_id not in established:
            dbsession.add(Established(contributor_id=contributor_id, established_at=now))
            promoted += 1
        elif not meets and contributor_id in established:
            dbsession.execute(delete(Established).where(Established.contributor_id == contributor_id))
            demoted += 1
    return {"promoted": promoted, "demoted": demoted}


def establish_job(ctx: JobContext) -> dict[str, int]:
    """``validate.standing``: :func:`establish` for the last ``LOOK_BACK``."""
    with app_request(ctx.registry) as request:
        return establish(request, utcnow() - LOOK_BACK)
