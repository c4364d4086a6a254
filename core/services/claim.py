"""Claim on log-in: an anonymous contributor's whole history moves to an existing account, in one transaction.

Plugins move their own rows through ``imagemonkey_contributor_merged`` first; core then moves its tables
(donations, image labels, suggestions, captions and their votes, status changes, the contribution log) and
merges the per-person counters by adding the anonymous contributor's counts to the account's. Where both wrote
the same thing (a vote on one caption), the account's stays and the anonymous one's log entry is marked reverted.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, delete, func, select, text, update

from ..auth import bearer_token, hash_token
from ..db import after_commit
from ..models import (
    Caption,
    CaptionVote,
    Contribution,
    Contributor,
    Image,
    ImageLabel,
    ImageStatusChange,
    ImageSuggestion,
    StatActive,
    Token,
)
from . import contributions
from .accounts import claimed_contributor
from .counters import ACTIVE, add_daily

#: person counter tables: (table, key columns other than ``contributor_id``)
PERSON_TABLES = (("person_daily", ("day", "kind")), ("person_total", ("kind",)), ("person_week", ("week",)),
                 ("person_kind_week", ("week", "kind")), ("person_label", ("label",)),
                 ("person_label_week", ("week", "label")))


def claim_into(request: Any, account: Contributor) -> dict[str, int]:
    """Move the request's anonymous contributor (its client token is spent first) into ``account``; returns what
    each owner moved, by kind. Logged as ``account.claim`` (target: the anonymous contributor's id)."""
    source = claimed_contributor(request)
    key = hash_token(bearer_token(request) or "")
    # a request in another thread may cache the spent token again before this commits: forget it once more after
    after_commit(request, lambda: request.registry["identity_cache"].forget(key))
    moved: dict[str, int] = {}
    for result in request.registry.pm.hook.imagemonkey_contributor_merged(
            request=request, source_id=source.id, target_id=account.id):
        moved.update(result or {})
    moved.update(merge_core(request, source.id, account.id))
    contributions.record(request, "account.claim", source.id, contributor=account)
    return moved


def merge_core(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """Core's tables and counters of ``source_id`` moved to ``target_id``; returns the rows moved by kind."""
    dbsession = request.dbsession
    dbsession.flush()
    moved = {"caption.vote": _merge_caption_votes(request, source_id, target_id)}
    for kind, column in (("image.donate", Image.donor_id), ("image.label", ImageLabel.contributor_id),
                         ("image.suggest", ImageSuggestion.contributor_id), ("caption.add", Caption.contributor_id),
                         ("image.status", ImageStatusChange.contributor_id)):
        moved[kind] = dbsession.execute(update(column.class_).where(column == source_id)
                                        .values({column.key: target_id})).rowcount
    moved["contribution"] = dbsession.execute(update(Contribution).where(Contribution.contributor_id == source_id)
                                              .values(contributor_id=target_id)).rowcount
    _merge_person_counters(dbsession, source_id, target_id)
    _merge_active_days(dbsession, source_id, target_id)
    dbsession.execute(delete(Token).where(Token.contributor_id == source_id))
    dbsession.expire_all()
    return moved


def _merge_caption_votes(request: Any, source_id: int, target_id: int) -> int:
    """Move the source's caption votes; on a caption both voted on, the target's vote stays and the caption's
    ``up``/``down`` are recounted. Returns how many votes moved."""
    dbsession = request.dbsession
    both = select(CaptionVote.caption_id).where(CaptionVote.contributor_id == target_id)
    twice = list(dbsession.scalars(select(CaptionVote.caption_id).where(CaptionVote.contributor_id == source_id,
                                                                         CaptionVote.caption_id.in_(both))))
    if twice:
        dbsession.execute(delete(CaptionVote).where(CaptionVote.contributor_id == source_id,
                                                    CaptionVote.caption_id.in_(twice)))
        contributions.mark_reverted(request, source_id, "caption.vote", [str(caption_id) for caption_id in twice])
        for caption_id in twice:
            up, down = dbsession.execute(select(
                func.coalesce(func.sum(case((CaptionVote.vote > 0, 1), else_=0)), 0),
                func.coalesce(func.sum(case((CaptionVote.vote < 0, 1), else_=0)), 0))
                .where(CaptionVote.caption_id == caption_id)).one()
            dbsession.execute(update(Caption).where(Caption.id == caption_id).values(up=up, down=down))
    return dbsession.execute(update(CaptionVote).where(CaptionVote.contributor_id == source_id)
                             .values(contributor_id=target_id)).rowcount


def _merge_person_counters(dbsession: Any, source_id: int, target_id: int) -> None:
    """Add each of the source's person counters to the target's (same key) and delete the source's."""
    for table, keys in PERSON_TABLES:
        columns = ", ".join(keys)
        dbsession.execute(text(
            f"INSERT INTO {table} (contributor_id, {columns}, count) "  # noqa: S608 (fixed names above)
            f"SELECT :target, {columns}, count FROM {table} WHERE contributor_id = :source "
            f"ON CONFLICT (contributor_id, {columns}) DO UPDATE SET count = {table}.count + excluded.count"),
            {"source": source_id, "target": target_id})
        dbsession.execute(text(f"DELETE FROM {table} WHERE contributor_id = :source"),  # noqa: S608
                          {"source": source_id})


def _merge_active_days(dbsession: Any, source_id: int, target_id: int) -> None:
    """The source's active days become the target's; a day both were active counts one contributor less."""
    shared = select(StatActive.day).where(StatActive.contributor_id == target_id)
    days = list(dbsession.scalars(select(StatActive.day).where(StatActive.contributor_id == source_id,
                                                               StatActive.day.in_(shared))))
    for day in days:
        add_daily(dbsession, day, ACTIVE, -1)
    dbsession.execute(delete(StatActive).where(and_(StatActive.contributor_id == source_id,
                                                    StatActive.day.in_(days))))
    dbsession.execute(update(StatActive).where(StatActive.contributor_id == source_id)
                      .values(contributor_id=target_id))
