"""Settling subjects whose votes are pending: one transaction recomputes a batch of them.

A vote request marks its subject pending (``validate_subject.pending_since``, indexed) and
records the vote; settlement later takes pending subjects (locked, in id order), recomputes
them all at once (:func:`.voting.recompute`) and clears the mark in the same transaction. Several
votes on one subject between two settlements share one recompute. Because the mark lives in the
database, nothing is lost when a process dies: :func:`settle_pending` (the sweep) settles
whatever is left, from any process.

On PostgreSQL, settlements take one advisory transaction lock, so two processes' settlers never
interleave their trust and count writes; they skip subjects a vote request holds at that moment
(that request queues its subject again after it commits).
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pyramid_retry import IRetryableError
from sqlalchemy import select, text

from imagemonkey.plugin import app_request

from .models import Subject
from .voting import recompute

BATCH = 200
ATTEMPTS = 3
#: The key of the advisory lock that settlement (and anything else writing trust) holds on PostgreSQL.
ADVISORY_KEY = 0x76616C6964  # "valid"
TAKE_SETTLEMENT_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


@dataclass
class Settling:
    """A pending subject as settlement reads it (a Core row made mutable: no ORM bookkeeping for a batch)."""

    id: int
    kind: str
    subject_id: int
    image_id: int
    label: str
    owner_id: int | None
    image_status: str
    state: str
    confidence: float
    yes_count: int
    no_count: int
    unsure_count: int
    vote_count: int
    queue: int | None
    pending_since: datetime | None


SUBJECT = Subject.__table__
SETTLING_COLUMNS = [SUBJECT.c[name] for name in Settling.__dataclass_fields__]


def lock_settlement(dbsession: Any) -> None:
    """Wait for other transactions that recompute subjects (PostgreSQL; SQLite has one writer anyway)."""
    if dbsession.get_bind().dialect.name == "postgresql":
        dbsession.connection().execute(TAKE_SETTLEMENT_LOCK, {"key": ADVISORY_KEY})


def settle(request: Any, subject_pks: Collection[int] | None = None, limit: int = BATCH) -> int:
    """Settle the pending subjects among ``subject_pks`` (None: the ``limit`` longest pending) in the request's
    transaction; returns how many were settled."""
    dbsession = request.dbsession
    lock_settlement(dbsession)
    pending = SUBJECT.c.pending_since.is_not(None)
    if subject_pks is None:
        chosen = select(SUBJECT.c.id).where(pending).order_by(SUBJECT.c.pending_since).limit(limit)
    else:
        chosen = sorted(subject_pks)
    rows = dbsession.connection().execute(select(*SETTLING_COLUMNS).where(pending, SUBJECT.c.id.in_(chosen))
                                          .order_by(SUBJECT.c.id).with_for_update(skip_locked=True))
    subjects = [Settling(*row) for row in rows]
    recompute(request, subjects)
    return len(subjects)


def settle_batch(registry: Any, subject_pks: Collection[int] | None = None, limit: int = BATCH) -> int:
    """:func:`settle` in a transaction of its own, tried again after a deadlock or a dropped connection."""
    for attempt in range(ATTEMPTS):
        try:
            with app_request(registry) as request:
                return settle(request, subject_pks, limit)
        except Exception as exc:
            if attempt + 1 == ATTEMPTS or not IRetryableError.providedBy(exc):
                raise
    return 0


def settle_pending(registry: Any, limit: int = BATCH) -> int:
    """The sweep: settle every pending subject, ``limit`` per transaction; returns how many."""
    total = 0
    while settled := settle_batch(registry, None, limit):
        total += settled
    return total
