"""Recording a vote on the request path: the checks, the vote row, the day's count and the log; no recompute.

A vote request reads its subject as a Core row, marks it pending (which locks it on PostgreSQL),
then upserts the vote: the subject's row first, as settlement takes them, so the two never wait
on each other in opposite orders. Counts, state, confidence and trust are settled after the
commit (:mod:`.settlement`), several votes on one subject sharing one recompute.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from imagemonkey.db.prepared import PreparedWrite
from imagemonkey.errors import ApiError, not_found
from imagemonkey.models.types import UTCDateTime, utcnow
from imagemonkey.services import contributions
from imagemonkey.services.visibility import can_see

from .counters import count_vote
from .models import Subject, Vote
from .settler import settle_after_commit

SUBJECT = Subject.__table__
VOTE = Vote.__table__
SUBJECT_ROW = select(SUBJECT.c.id, SUBJECT.c.kind, SUBJECT.c.subject_id, SUBJECT.c.label, SUBJECT.c.owner_id,
                     SUBJECT.c.donor_id, SUBJECT.c.image_status, SUBJECT.c.state, SUBJECT.c.confidence,
                     SUBJECT.c.yes_count, SUBJECT.c.no_count, SUBJECT.c.unsure_count, SUBJECT.c.pending_since).where(
    SUBJECT.c.kind == bindparam("kind"), SUBJECT.c.subject_id == bindparam("subject_id"))
MARK_PENDING = PreparedWrite(
    update(SUBJECT).where(SUBJECT.c.id == bindparam("subject_pk")).values(
        pending_since=func.coalesce(SUBJECT.c.pending_since, bindparam("now", type_=UTCDateTime()))),
    ["subject_pk", "now", "updated_at"])


def _vote_upsert(dialect: Any) -> PreparedWrite:
    """Insert the vote or replace the contributor's earlier one; returns whether it is a new vote."""
    statement = dialect.insert(VOTE)
    statement = statement.on_conflict_do_update(
        index_elements=["contributor_id", "kind", "subject_id"],
        set_={"vote": statement.excluded.vote, "moderator": statement.excluded.moderator,
              "updated_at": statement.excluded.updated_at})
    return PreparedWrite(statement.returning(VOTE.c.created_at == VOTE.c.updated_at),
                         ["contributor_id", "kind", "subject_id", "vote", "moderator", "created_at", "updated_at"])


VOTE_UPSERTS = {"sqlite": _vote_upsert(sqlite), "postgresql": _vote_upsert(postgresql)}


@dataclass(frozen=True)
class _ImageFacts:
    """What :func:`can_see` reads of an image, as the subject row keeps it."""

    status: str
    donor_id: int | None


def find_subject(dbsession: Any, kind: str, subject_id: int) -> Any:
    """The subject's row (a Core row, not locked), or None."""
    return dbsession.connection().execute(SUBJECT_ROW, {"kind": kind, "subject_id": subject_id}).first()


def check_may_vote(contributor: Any, subject: Any, what: str) -> None:
    """404 when the contributor may not see the subject's image; 403 ``own_donation`` on their own work."""
    if not can_see(contributor, _ImageFacts(subject.image_status, subject.donor_id)):  # type: ignore[arg-type]
        raise not_found(what)
    if contributor.id in (subject.owner_id, subject.donor_id):
        raise ApiError(403, "own_donation", "You may not validate labels on your own donations.")


def cast(request: Any, subject: Any, vote: str, what: str = "subject") -> dict[str, Any]:
    """Record the request's contributor's ``vote`` on ``subject`` (a row of :func:`find_subject`; None is a 404),
    replacing their earlier one, and queue the subject for settlement; returns the answer (:func:`vote_json`)."""
    if subject is None:
        raise not_found(what)
    contributor = request.contributor
    check_may_vote(contributor, subject, what)
    dbsession = request.dbsession
    now = utcnow()
    MARK_PENDING.execute(dbsession, {"subject_pk": subject.id, "now": now, "updated_at": now})
    (new,), = VOTE_UPSERTS[dbsession.get_bind().dialect.name].execute(dbsession, {
        "contributor_id": contributor.id, "kind": subject.kind, "subject_id": subject.subject_id, "vote": vote,
        "moderator": contributor.has_role("moderator"), "created_at": now, "updated_at": now})
    contributions.record(request, "validate.vote", f"{subject.kind}:{subject.subject_id}")
    if new:
        count_vote(dbsession, now)  # last: on PostgreSQL the day's row is shared by every vote until commit
    settle_after_commit(request, subject.id)
    return vote_json(subject, vote)


def vote_json(subject: Any, vote: str) -> dict[str, Any]:
    """The answer to a vote: the vote and the subject's last settled state, ``"settlement": "pending"``."""
    return {"kind": subject.kind, "subject_id": str(subject.subject_id), "label": subject.label, "vote": vote,
            "state": subject.state, "confidence": round(subject.confidence, 6),
            "votes": {"yes": subject.yes_count, "no": subject.no_count, "unsure": subject.unsure_count},
            "settlement": "pending"}
