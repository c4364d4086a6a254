"""Choosing subjects to ask: fewest votes first, a random pivot inside that bucket, bounded probes, no scans.

Every query walks the ``(queue, label, vote_count, random_key)`` (or ``(queue, vote_count,
random_key)``) index: the lowest ``vote_count`` of a queue is one index seek, the rows of that
bucket at or after a random ``random_key`` are an index range. Subjects the contributor voted on
are dropped through the unique ``(contributor_id, kind, subject_id)`` index on votes, their own
work in Python; at most :data:`MAX_BUCKETS` buckets per queue are probed.
"""
from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import Contributor

from .models import Subject, Vote
from .subjects import IMAGE_LABEL, OTHER_KINDS_GROUP, group_of

MAX_BUCKETS = 4
#: Selection levels for contributors: unsettled subjects first, then contested ones (public images only).
CONTRIBUTOR_LEVELS = ((0,), (1,))
#: Moderators also see subjects on pending images.
MODERATOR_LEVELS = ((0, 2), (1, 3))

Key = tuple[str, int]


def _lowest_count(dbsession: Any, where: list[Any], above: int | None) -> int | None:
    query = select(Subject.vote_count).where(*where)
    if above is not None:
        query = query.where(Subject.vote_count > above)
    return dbsession.scalar(query.order_by(Subject.vote_count).limit(1))


def _probe(dbsession: Any, where: list[Any], pivot: float, want: int) -> list[Subject]:
    """Up to ``want`` rows of one bucket from ``pivot`` on, wrapping around to the start."""
    rows = list(dbsession.scalars(select(Subject).where(*where, Subject.random_key >= pivot)
                                  .order_by(Subject.random_key).limit(want)))
    if len(rows) < want:
        rows += dbsession.scalars(select(Subject).where(*where, Subject.random_key < pivot)
                                  .order_by(Subject.random_key).limit(want - len(rows)))
    return rows


def voted_on(dbsession: Any, contributor_id: int, keys: Iterable[Key]) -> set[Key]:
    """Which of ``keys`` the contributor has voted on (one indexed query per kind)."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, subject_id in keys:
        by_kind[kind].append(subject_id)
    found: set[Key] = set()
    for kind, ids in by_kind.items():
        found.update((kind, sid) for sid in dbsession.scalars(select(Vote.subject_id).where(
            Vote.contributor_id == contributor_id, Vote.kind == kind, Vote.subject_id.in_(ids))))
    return found


def _usable(dbsession: Any, contributor: Contributor, rows: list[Subject], skip: set[Key]) -> list[Subject]:
    rows = [row for row in rows if contributor.id not in (row.owner_id, row.donor_id)
            and (row.kind, row.subject_id) not in skip]
    voted = voted_on(dbsession, contributor.id, [(row.kind, row.subject_id) for row in rows]) if rows else set()
    return [row for row in rows if (row.kind, row.subject_id) not in voted]


def _from_queue(dbsession: Any, contributor: Contributor, where: list[Any], n: int, skip: set[Key],
                rng: random.Random) -> list[Subject]:
    chosen: list[Subject] = []
    count = _lowest_count(dbsession, where, None)
    buckets = 0
    while count is not None and buckets < MAX_BUCKETS and len(chosen) < n:
        rows = _probe(dbsession, [*where, Subject.vote_count == count], rng.random(), 2 * (n - len(chosen)) + 6)
        for row in _usable(dbsession, contributor, rows, skip):
            if len(chosen) < n:
                chosen.append(row)
                skip.add((row.kind, row.subject_id))
        count = _lowest_count(dbsession, where, count)
        buckets += 1
    return chosen


def pick(dbsession: Any, contributor: Contributor, *, n: int = 1, label: str | None = None,
         kinds: Iterable[str] | None = None, skip: Iterable[Key] = (), rng: random.Random | None = None,
         image_filter: Any = None) -> list[Subject]:
    """Up to ``n`` subjects for ``contributor`` to judge: unsettled with fewest votes first, then contested.

    ``kinds`` limits the subject kinds (None: all); ``skip`` holds ``(kind, subject_id)`` keys to leave out;
    ``image_filter`` is a clause on ``Subject.image_id`` every chosen subject's image must meet (the plugins'
    task filters).
    """
    rng = rng or random.Random()
    groups = sorted({group_of(kind) for kind in kinds}) if kinds is not None else [group_of(IMAGE_LABEL),
                                                                                     OTHER_KINDS_GROUP]
    levels = MODERATOR_LEVELS if contributor.has_role("moderator") else CONTRIBUTOR_LEVELS
    wanted_kinds = set(kinds) if kinds is not None else None
    skipped = set(skip)
    chosen: list[Subject] = []
    for level in levels:
        queues = [group * 10 + code for code in level for group in groups]
        lowest = {queue: _lowest_count(dbsession, _where(queue, label, image_filter), None) for queue in queues}
        for queue in sorted((q for q in queues if lowest[q] is not None), key=lambda q: (lowest[q], rng.random())):
            found = _from_queue(dbsession, contributor, _where(queue, label, image_filter), n - len(chosen), skipped,
                                rng)
            chosen += [row for row in found if wanted_kinds is None or row.kind in wanted_kinds]
            if len(chosen) >= n:
                return chosen
    return chosen


def _where(queue: int, label: str | None, image_filter: Any) -> list[Any]:
    return ([Subject.queue == queue] + ([Subject.label == label] if label is not None else [])
            + ([image_filter] if image_filter is not None else []))
