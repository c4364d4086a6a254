"""Recording a vote on the request path: the checks, the vote row, the day's count and the log; no recompute.

A vote request marks its subject pending and reads it back in one statement (``UPDATE ...
RETURNING``, which locks the row on PostgreSQL), checks the voter may vote, then upserts the vote:
the subject's row first, as settlement takes them, so the two never wait on each other in
opposite orders. Counts (the day's votes too: one row every vote would otherwise wait on until
commit on PostgreSQL), state, confidence and trust are settled after the commit
(:mod:`.settlement`), several votes on one subject sharing one recompute. A refused vote in a
batch leaves its subject marked pending: settling it again changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, update
from sqlalchemy.dialects import postgresql, sqlite

from imagemonkey.plugin import ApiError, PreparedWrite, UTCDateTime, can_see, not_found, record_contribution, utcnow

from .models import Subject, Vote
from .settler import settle_after_commit
from .standing import address_key

SUBJECT = Subject.__table__
VOTE = Vote.__table__
ROW_COLUMNS = ("id", "kind", "subject_id", "label", "owner_id", "donor_id", "image_status", "state", "confidence",
               "yes_count", "no_count", "unsure_count")
TAKE_SUBJECT = PreparedWrite(
    update(SUBJECT).where(SUBJECT.c.kind == bindparam("subject_kind"), SUBJECT.c.subject_id == bindparam("sid"))
    .values(pending_since=func.coalesce(SUBJECT.c.pending_since, bindparam("now", type_=UTCDateTime())))
    .returning(*(SUBJECT.c[name] for name in ROW_COLUMNS)),
    ["subject_kind", "sid", "now", "updated_at"])


class SubjectRow(NamedTuple):
    """A subject as a vote sees it: who may vote, and its last settled state."""

    id: int
    kind: str
    subject_id: int
    label: str
    owner_id: int | None
    donor_id: int | None
    image_status: str
    state: str
    confidence: float
    yes_count: int
    no_count: int
    unsure_count: int


def _vote_upsert(dialect: Any) -> PreparedWrite:
    """Insert the vote (to be counted by settlement) or replace the contributor's earlier one."""
    statement = dialect.insert(VOTE)
    statement = statement.on_conflict_do_update(
        index_elements=["contributor_id", "kind", "subject_id"],
        set_={"vote": statement.excluded.vote, "moderator": statement.excluded.moderator,
              "updated_at": statement.excluded.updated_at, "address_key": statement.excluded.address_key,
              "answered_at": statement.excluded.answered_at})
    return PreparedWrite(statement, ["contributor_id", "kind", "subject_id", "vote", "moderator", "counted",
                                     "created_at", "updated_at", "address_key", "answered_at"])


VOTE_UPSERTS = {"sqlite": _vote_upsert(sqlite), "postgresql": _vote_upsert(postgresql)}


@dataclass(frozen=True)
class _ImageFacts:
    """What :func:`can_see` reads of an image, as the subject row keeps it."""

    status: str
    donor_id: int | None


def take_subject(dbsession: Any, kind: str, subject_id: int) -> SubjectRow | None:
    """Mark the subject pending (its votes are about to change) and return its row, or None when there is none."""
    now = utcnow()
    rows = TAKE_SUBJECT.execute(dbsession, {"subject_kind": kind, "sid": subject_id, "now": now, "updated_at": now})
    return SubjectRow(*rows[0]) if rows else None


def check_may_vote(contributor: Any, subject: Any, what: str) -> None:
    """404 when the contributor may not see the subject's image; 403 ``own_donation`` on their own work."""
    if not can_see(contributor, _ImageFacts(subject.image_status, subject.donor_id)):  # type: ignore[arg-type]
        raise not_found(what)
    if contributor.id in (subject.owner_id, subject.donor_id):
        raise ApiError(403, "own_donation", "You may not validate labels on your own donations.")


def cast(request: Any, subject: SubjectRow | None, vote: str, what: str = "subject") -> dict[str, Any]:
    """Record the request's contributor's ``vote`` on ``subject`` (from :func:`take_subject`; None is a 404),
    replacing their earlier one, and queue the subject for settlement; returns the answer (:func:`vote_json`)."""
    if subject is None:
        raise not_found(what)
    contributor = request.contributor
    check_may_vote(contributor, subject, what)
    dbsession = request.dbsession
    now = utcnow()
    VOTE_UPSERTS[dbsession.get_bind().dialect.name].execute(dbsession, {
        "contributor_id": contributor.id, "kind": subject.kind, "subject_id": subject.subject_id, "vote": vote,
        "moderator": contributor.has_role("moderator"), "counted": False, "created_at": now, "updated_at": now,
        "address_key": address_key(request), "answered_at": now})
    record_contribution(request, "validate.vote", f"{subject.kind}:{subject.subject_id}", label=subject.label)
    settle_after_commit(request, subject.id)
    return vote_json(subject, vote)


def vote_json(subject: SubjectRow, vote: str) -> dict[str, Any]:
    """The answer to a vote: the vote and the subject's last settled state, ``"settlement": "pending"``."""
    return {"kind": subject.kind, "subject_id": str(subject.subject_id), "label": subject.label, "vote": vote,
            "state": subject.state, "confidence": round(subject.confidence, 6),
            "votes": {"yes": subject.yes_count, "no": subject.no_count, "unsure": subject.unsure_count},
            "settlement": "pending"}
