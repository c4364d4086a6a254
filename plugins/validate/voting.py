"""Recomputing subjects: counts, state, confidence, and their voters' trust credits (settlement's arithmetic).

Each batch write takes its rows in key order (subjects and votes by id, trust by contributor, counts by
label and day), so two transactions writing some of the same rows wait on each other instead of deadlocking.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from imagemonkey.plugin import PreparedWrite, UTCDateTime, counter_shard, utcnow

from .consensus import STATES, Ballot
from .counters import count_state, count_votes, upsert_many
from .models import LabelCount, Subject, Trust, Vote
from .person_counts import count_owned
from .subjects import policy_of, queue_for

VOTES_OF_SUBJECTS = (select(Vote.id, Vote.kind, Vote.subject_id, Vote.contributor_id, Vote.vote, Vote.moderator,
                            Vote.credit, Vote.counted, Vote.created_at, Trust.correct, Trust.wrong)
                     .join(Subject, and_(Subject.kind == Vote.kind, Subject.subject_id == Vote.subject_id))
                     .outerjoin(Trust, Trust.contributor_id == Vote.contributor_id)
                     .where(Subject.id.in_(bindparam("ids", expanding=True)))
                     .order_by(Vote.id))
VOTE = Vote.__table__
#: Settlement's batch writes, sent to the driver as one ``executemany`` each (``updated_at`` as SQLAlchemy's
#: ``onupdate`` would set it).
SET_CREDIT = PreparedWrite(update(VOTE).where(VOTE.c.id == bindparam("vote_id")).values(
    credit=bindparam("new_credit"), updated_at=bindparam("now", type_=UTCDateTime())), ["vote_id", "new_credit", "now"])
SETTLED_FIELDS = ("yes_count", "no_count", "unsure_count", "vote_count", "state", "confidence", "queue")
SUBJECT = Subject.__table__
STORE_SETTLED = PreparedWrite(update(SUBJECT).where(SUBJECT.c.id == bindparam("subject_pk")).values(
    {**{name: bindparam(f"new_{name}") for name in SETTLED_FIELDS}, "pending_since": None,
     "updated_at": bindparam("now", type_=UTCDateTime())}),
    ["subject_pk", "now", *(f"new_{name}" for name in SETTLED_FIELDS)])
SET_COUNTED = PreparedWrite(update(VOTE).where(VOTE.c.id == bindparam("vote_id")).values(
    counted=True, updated_at=bindparam("now", type_=UTCDateTime())), ["vote_id", "now"])
VOTE_CREDITS = select(Vote.contributor_id, Vote.credit).where(
    Vote.kind == bindparam("kind"), Vote.subject_id == bindparam("subject_id"), Vote.credit.is_not(None))
UNCOUNTED_VOTES = select(Vote.created_at).where(
    Vote.kind == bindparam("kind"), Vote.subject_id == bindparam("subject_id"), Vote.counted.is_(False))


def _credit_pair(credit: float | None) -> tuple[float, float]:
    return (0.0, 0.0) if credit is None else (credit, 1.0 - credit)


def _trust_delta(contributor_id: int, old: float | None, new: float | None) -> dict[str, Any]:
    """The change to a voter's record when a vote's credit moves from ``old`` to ``new``."""
    (old_c, old_w), (new_c, new_w) = _credit_pair(old), _credit_pair(new)
    return {"contributor_id": contributor_id, "correct": new_c - old_c, "wrong": new_w - old_w}


def add_trust(dbsession: Any, deltas: list[dict[str, Any]]) -> None:
    """Add credit changes to the voters' records, one row per voter, in contributor order.

    The fixed order matters on PostgreSQL: two transactions upserting the same records in
    different orders would each hold a row the other waits for (a deadlock).
    """
    summed: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for delta in deltas:
        pair = summed[delta["contributor_id"]]
        pair[0] += delta["correct"]
        pair[1] += delta["wrong"]
    upsert_many(dbsession, Trust, ["contributor_id"], [{"contributor_id": cid, "correct": c, "wrong": w}
                                                       for cid, (c, w) in sorted(summed.items())])


def _count_states(dbsession: Any, moves: list[tuple[str, str | None, str | None]]) -> None:
    """Apply subjects' state moves ``(label, old, new)`` to the label counts, one row per label, in label order."""
    increments: dict[str, Counter[str]] = defaultdict(Counter)
    for label, old, new in moves:
        if old == new:
            continue
        counts = increments[label]
        if old is not None:
            counts[old] -= 1
            counts["total"] -= 1
        if new is not None:
            counts[new] += 1
            counts["total"] += 1
    shard = counter_shard(dbsession)
    rows = [{"label": label, "shard": shard, **{state: counts[state] for state in (*STATES, "total")}}
            for label, counts in sorted(increments.items()) if any(counts.values())]
    upsert_many(dbsession, LabelCount, ["label", "shard"], rows)


def recompute(request: Any, subjects: list[Any]) -> None:
    """Recount each subject's votes, decide its state, refresh its voters' credits, fire ``validate_state_changed``;
    the subjects (locked by the caller) are settled afterwards (``pending_since`` cleared).

    A voter's weight leaves out their own credit from this subject, and each credit is the
    leave-one-out posterior of the other votes (how much this vote agreed with them): an online
    step of a one-coin Dawid-Skene model, bounded by the number of votes on one subject. Subjects
    are taken in order, each seeing the records as the ones before it left them (kept in memory:
    one read of all votes, one write per table for the whole batch).
    """
    if not subjects:
        return
    dbsession = request.dbsession
    policy = policy_of(request)
    dbsession.flush()  # the votes are read straight from the connection, past the ORM's autoflush
    by_subject: dict[tuple[str, int], list[Any]] = defaultdict(list)
    records: dict[int, list[float]] = {}
    uncounted = []
    for vote in dbsession.connection().execute(VOTES_OF_SUBJECTS, {"ids": [s.id for s in subjects]}):
        by_subject[(vote.kind, vote.subject_id)].append(vote)
        records.setdefault(vote.contributor_id, [vote.correct or 0.0, vote.wrong or 0.0])
        if not vote.counted:
            uncounted.append(vote)
    deltas: list[dict[str, Any]] = []
    new_credits: list[dict[str, Any]] = []
    settled: list[dict[str, Any]] = []
    now = utcnow()
    moves: list[tuple[str, str | None, str | None]] = []
    owned: list[tuple[str, int | None, str | None, str | None]] = []
    for subject in subjects:
        votes = by_subject.get((subject.kind, subject.subject_id), [])
        ballots = []
        for vote in votes:
            own_c, own_w = _credit_pair(vote.credit)
            correct, wrong = records[vote.contributor_id]
            ballots.append(Ballot(vote.vote, correct - own_c, wrong - own_w, vote.moderator))
        for index, vote in enumerate(votes):
            others = ballots[:index] + ballots[index + 1:]
            credit = None
            if vote.vote != "unsure" and not vote.moderator and any(b.vote != "unsure" for b in others):
                posterior = policy.posterior(others)
                credit = posterior if vote.vote == "yes" else 1.0 - posterior
            if credit != vote.credit:
                delta = _trust_delta(vote.contributor_id, vote.credit, credit)
                records[vote.contributor_id][0] += delta["correct"]
                records[vote.contributor_id][1] += delta["wrong"]
                deltas.append(delta)
                new_credits.append({"vote_id": vote.id, "new_credit": credit, "now": now})
        old_state = _apply(policy, subject, ballots)
        settled.append({"subject_pk": subject.id, "now": now,
                        **{f"new_{name}": getattr(subject, name) for name in SETTLED_FIELDS}})
        moves.append((subject.label, old_state, subject.state))
        owned.append((subject.kind, subject.owner_id, old_state, subject.state))
        if old_state != subject.state:
            request.registry.pm.hook.validate_state_changed(
                request=request, kind=subject.kind, subject_id=subject.subject_id, image_id=subject.image_id,
                label=subject.label, old_state=old_state, new_state=subject.state, confidence=subject.confidence)
    STORE_SETTLED.execute_many(dbsession, settled)
    SET_CREDIT.execute_many(dbsession, sorted(new_credits, key=lambda row: row["vote_id"]))  # rows in key order
    SET_COUNTED.execute_many(dbsession, [{"vote_id": vote.id, "now": now} for vote in uncounted])
    count_votes(dbsession, [vote.created_at for vote in uncounted])
    add_trust(dbsession, deltas)
    _count_states(dbsession, moves)
    count_owned(dbsession, owned)


def _apply(policy: Any, subject: Any, ballots: list[Ballot]) -> str:
    """Put the policy's decision on ``ballots`` into ``subject``, in memory (:func:`recompute` writes the rows in one
    statement: an ORM instance is updated as already stored, so the ORM does not write it again); returns the old
    state."""
    decision = policy.decide(ballots)
    tally = {"yes": 0, "no": 0, "unsure": 0}
    for ballot in ballots:
        tally[ballot.vote] += 1
    old_state = subject.state
    set_value = set_committed_value if hasattr(subject, "_sa_instance_state") else setattr
    values = {"yes_count": tally["yes"], "no_count": tally["no"], "unsure_count": tally["unsure"],
              "vote_count": len(ballots), "state": decision.state, "confidence": decision.confidence,
              "pending_since": None}
    for name, value in values.items():
        set_value(subject, name, value)
    set_value(subject, "queue", queue_for(policy, subject))
    return old_state


def clear_votes(request: Any, subject: Subject) -> None:
    """Delete every vote on ``subject``, taking their credits back out of their voters' records (votes not counted
    yet are counted first: the day's figure counts votes cast)."""
    dbsession = request.dbsession
    key = {"kind": subject.kind, "subject_id": subject.subject_id}
    count_votes(dbsession, list(dbsession.connection().execute(UNCOUNTED_VOTES, key).scalars()))
    credits = dbsession.connection().execute(VOTE_CREDITS, key)
    add_trust(dbsession, [_trust_delta(contributor_id, credit, None) for contributor_id, credit in credits])
    dbsession.execute(delete(Vote).where(Vote.kind == subject.kind, Vote.subject_id == subject.subject_id))


def remove_subject(request: Any, subject: Subject) -> None:
    """Delete a subject, its votes and its count."""
    clear_votes(request, subject)
    count_state(request.dbsession, subject.label, subject.state, None)
    count_owned(request.dbsession, [(subject.kind, subject.owner_id, subject.state, None)])
    request.dbsession.delete(subject)
    request.dbsession.flush()
