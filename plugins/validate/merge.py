"""Validate's part of a claim on log-in (``imagemonkey_contributor_merged``): votes, trust, establishment, owners.

A subject both contributors voted on keeps the account's vote: the anonymous one is deleted, taken out of its
day's count, its log entry marked reverted, and the subject recomputed. The rest of the anonymous votes move.
The trust record and the verified-labels count are added to the account's; subjects owned or donated by the
anonymous contributor name the account.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import delete, select, tuple_, update

from imagemonkey.plugin import mark_contributions_reverted

from .counters import uncount_votes, upsert_many
from .models import Established, PersonCount, Subject, Trust, Vote
from .settlement import lock_settlement
from .subjects import get_subject
from .voting import recompute


def merge_contributor(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """Move ``source_id``'s validate rows to ``target_id``; returns ``{"validate.vote": votes moved}``."""
    dbsession = request.dbsession
    lock_settlement(dbsession)
    _drop_double_votes(request, source_id, target_id)
    moved = dbsession.execute(update(Vote).where(Vote.contributor_id == source_id)
                              .values(contributor_id=target_id)).rowcount
    for model, columns in ((Trust, ("correct", "wrong")), (PersonCount, ("verified_labels",))):
        row = dbsession.execute(select(*(getattr(model, name) for name in columns))
                                .where(model.contributor_id == source_id)).first()
        if row is not None:
            upsert_many(dbsession, model, ["contributor_id"],
                        [{"contributor_id": target_id, **dict(zip(columns, row, strict=True))}])
            dbsession.execute(delete(model).where(model.contributor_id == source_id))
    if dbsession.scalar(select(Established.contributor_id).where(Established.contributor_id == target_id)) is None:
        dbsession.execute(update(Established).where(Established.contributor_id == source_id)
                          .values(contributor_id=target_id))
    dbsession.execute(delete(Established).where(Established.contributor_id == source_id))
    dbsession.execute(update(Subject).where(Subject.owner_id == source_id).values(owner_id=target_id))
    dbsession.execute(update(Subject).where(Subject.donor_id == source_id).values(donor_id=target_id))
    return {"validate.vote": moved}


def _drop_double_votes(request: Any, source_id: int, target_id: int) -> None:
    """Delete the source's votes on subjects the target voted on too, and recompute those subjects."""
    dbsession = request.dbsession
    theirs = select(Vote.kind, Vote.subject_id).where(Vote.contributor_id == target_id)
    doubles = dbsession.execute(select(Vote.id, Vote.kind, Vote.subject_id, Vote.created_at, Vote.counted).where(
        Vote.contributor_id == source_id, tuple_(Vote.kind, Vote.subject_id).in_(theirs))).all()
    if not doubles:
        return
    dbsession.execute(delete(Vote).where(Vote.id.in_([row.id for row in doubles])))
    mark_contributions_reverted(request, source_id, "validate.vote",
                                [f"{row.kind}:{row.subject_id}" for row in doubles])
    subjects = [get_subject(dbsession, kind, subject_id, lock=True)
                for kind, subject_id in sorted({(row.kind, row.subject_id) for row in doubles})]
    recompute(request, [subject for subject in subjects if subject is not None])
    uncount_votes(dbsession, Counter(row.created_at.strftime("%Y-%m-%d") for row in doubles if row.counted))
