"""Casting votes and recomputing a subject: counts, state, confidence, and its voters' trust credits."""
from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from imagemonkey.plugin import ApiError, Contributor, Image, can_see, not_found, record_contribution

from .consensus import Ballot
from .counters import count_state, count_vote, run_write, upsert_many, upsert_vote
from .models import Subject, Trust, Vote
from .subjects import policy_of, queue_for

KNOWN_VOTE = select(Vote.id).where(Vote.contributor_id == bindparam("contributor_id"), Vote.kind == bindparam("kind"),
                                   Vote.subject_id == bindparam("subject_id"))
VOTES_WITH_TRUST = (select(Vote.id, Vote.contributor_id, Vote.vote, Vote.moderator, Vote.credit, Trust.correct,
                           Trust.wrong)
                    .outerjoin(Trust, Trust.contributor_id == Vote.contributor_id)
                    .where(Vote.kind == bindparam("kind"), Vote.subject_id == bindparam("subject_id"))
                    .order_by(Vote.id))
SET_CREDIT = update(Vote.__table__).where(Vote.__table__.c.id == bindparam("vote_id")).values(
    credit=bindparam("new_credit"))
VOTE_CREDITS = select(Vote.contributor_id, Vote.credit).where(
    Vote.kind == bindparam("kind"), Vote.subject_id == bindparam("subject_id"), Vote.credit.is_not(None))


def _credit_pair(credit: float | None) -> tuple[float, float]:
    return (0.0, 0.0) if credit is None else (credit, 1.0 - credit)


def _trust_delta(contributor_id: int, old: float | None, new: float | None) -> dict[str, Any]:
    """The change to a voter's record when a vote's credit moves from ``old`` to ``new``."""
    (old_c, old_w), (new_c, new_w) = _credit_pair(old), _credit_pair(new)
    return {"contributor_id": contributor_id, "correct": new_c - old_c, "wrong": new_w - old_w}


def check_may_vote(request: Any, subject: Subject, contributor: Contributor) -> None:
    """404 when the contributor may not see the subject's image; 403 ``own_donation`` on their own work."""
    image = request.dbsession.get(Image, subject.image_id)
    if image is None or not can_see(contributor, image):
        raise not_found("subject")
    if contributor.id in (subject.owner_id, image.donor_id):
        raise ApiError(403, "own_donation", "You may not validate labels on your own donations.")


def cast(request: Any, subject: Subject | None, vote: str) -> Subject:
    """The request's contributor votes ``vote`` on ``subject`` (fetched locked; None is a 404), replacing their
    earlier vote; returns the subject."""
    contributor = request.contributor
    dbsession = request.dbsession
    if subject is None:
        raise not_found("subject")
    check_may_vote(request, subject, contributor)
    key = {"kind": subject.kind, "subject_id": subject.subject_id}
    known = dbsession.scalar(KNOWN_VOTE, {"contributor_id": contributor.id, **key})
    upsert_vote(dbsession, {"contributor_id": contributor.id, **key, "vote": vote,
                            "moderator": contributor.has_role("moderator")})
    if known is None:
        count_vote(dbsession)
    recompute(request, subject)
    record_contribution(request, "validate.vote", f"{subject.kind}:{subject.subject_id}")
    return subject


def recompute(request: Any, subject: Subject) -> None:
    """Recount ``subject``'s votes, decide its state, refresh its voters' credits, fire ``validate_state_changed``.

    A voter's weight leaves out their own credit from this subject, and each credit is the
    leave-one-out posterior of the other votes (how much this vote agreed with them): an online
    step of a one-coin Dawid-Skene model, bounded by the number of votes on one subject.
    """
    dbsession = request.dbsession
    policy = policy_of(request)
    dbsession.flush()  # the votes are read straight from the connection, past the ORM's autoflush
    votes = dbsession.connection().execute(VOTES_WITH_TRUST, {"kind": subject.kind,
                                                              "subject_id": subject.subject_id}).all()
    ballots = []
    for vote in votes:
        own_c, own_w = _credit_pair(vote.credit)
        ballots.append(Ballot(vote.vote, (vote.correct or 0.0) - own_c, (vote.wrong or 0.0) - own_w, vote.moderator))
    deltas, new_credits = [], []
    for index, vote in enumerate(votes):
        others = ballots[:index] + ballots[index + 1:]
        credit = None
        if vote.vote != "unsure" and not vote.moderator and any(b.vote != "unsure" for b in others):
            posterior = policy.posterior(others)
            credit = posterior if vote.vote == "yes" else 1.0 - posterior
        if credit != vote.credit:
            deltas.append(_trust_delta(vote.contributor_id, vote.credit, credit))
            new_credits.append({"vote_id": vote.id, "new_credit": credit})
    run_write(dbsession, SET_CREDIT, new_credits)
    upsert_many(dbsession, Trust, ["contributor_id"], deltas)
    decision = policy.decide(ballots)
    tally = Counter(b.vote for b in ballots)
    old_state = subject.state
    subject.yes_count, subject.no_count, subject.unsure_count = tally["yes"], tally["no"], tally["unsure"]
    subject.vote_count = len(ballots)
    subject.state, subject.confidence = decision.state, decision.confidence
    subject.queue = queue_for(policy, subject)
    count_state(dbsession, subject.label, old_state, subject.state)
    if old_state != subject.state:
        request.registry.pm.hook.validate_state_changed(
            request=request, kind=subject.kind, subject_id=subject.subject_id, image_id=subject.image_id,
            label=subject.label, old_state=old_state, new_state=subject.state, confidence=subject.confidence)


def clear_votes(request: Any, subject: Subject) -> None:
    """Delete every vote on ``subject``, taking their credits back out of their voters' records."""
    dbsession = request.dbsession
    credits = dbsession.connection().execute(VOTE_CREDITS, {"kind": subject.kind, "subject_id": subject.subject_id})
    upsert_many(dbsession, Trust, ["contributor_id"],
                [_trust_delta(contributor_id, credit, None) for contributor_id, credit in credits])
    dbsession.execute(delete(Vote).where(Vote.kind == subject.kind, Vote.subject_id == subject.subject_id))


def remove_subject(request: Any, subject: Subject) -> None:
    """Delete a subject, its votes and its count."""
    clear_votes(request, subject)
    count_state(request.dbsession, subject.label, subject.state, None)
    request.dbsession.delete(subject)
    request.dbsession.flush()
