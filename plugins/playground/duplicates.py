"""Near-duplicate clusters for moderators, kept in step with the similar-pictures index (job ``playground.duplicates``).

Every run looks up at most ``playground.duplicates_per_run`` embeddings not scanned yet (oldest first, in keyset
pages) whose pictures the index already holds, pairs each with its ``playground.duplicates_k`` nearest neighbours
within ``playground.duplicates_max_distance`` (cosine), and files the pairs into open clusters: a pair joins the
open cluster of either picture, or links two open clusters into one, or starts a new one. A cluster grows to at most
``playground.duplicates_max_members`` pictures. Pictures a moderator already decided on together (kept as different,
or merged) never meet in a cluster again. Each scanned embedding is recorded, so a run only looks at new pictures;
a new backbone version starts the scan again. Visibility is not baked in: only public pictures are listed.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, exists, or_, select, update

from imagemonkey.plugin import Image, JobContext, JobSpec

from .duplicate_models import DuplicateCluster, DuplicateMember, DuplicateScan
from .duplicate_pairs import find_pairs
from .models import Embedding
from .settings import setting
from .similar import path_of, vector_of, writing

JOB = "playground.duplicates"
#: how often new embeddings are looked up for near duplicates
EVERY = 600
PAGE = 512


class OpenClusters:
    """The open clusters of the pictures in a batch of pairs, changed as pairs are filed."""

    def __init__(self, dbsession: Any, backbone: str, image_ids: set[int], max_members: int) -> None:
        self.dbsession, self.backbone, self.max_members = dbsession, backbone, max_members
        self.open_of: dict[int, int] = {}
        self.decided: dict[int, set[int]] = {}
        self.members: dict[int, set[int]] = {}
        rows = dbsession.execute(select(DuplicateMember.image_id, DuplicateMember.cluster_id, DuplicateCluster.state)
                                 .join(DuplicateCluster, DuplicateCluster.id == DuplicateMember.cluster_id)
                                 .where(DuplicateMember.image_id.in_(image_ids))
                                 .with_for_update(of=DuplicateCluster))  # a moderator's decision waits, or we do
        for image_id, cluster_id, state in rows:
            if state == "open":
                self.open_of[image_id] = cluster_id
            else:
                self.decided.setdefault(image_id, set()).add(cluster_id)
        self.decided.update({image_id: set() for image_id in image_ids if image_id not in self.decided})

    def decided_with(self, image_ids: set[int]) -> set[int]:
        """The decided clusters any of ``image_ids`` belongs to (loaded for those not seen yet)."""
        missing = [image_id for image_id in image_ids if image_id not in self.decided]
        if missing:
            self.decided.update({image_id: set() for image_id in missing})
            for image_id, cluster_id in self.dbsession.execute(
                    select(DuplicateMember.image_id, DuplicateMember.cluster_id)
                    .join(DuplicateCluster, DuplicateCluster.id == DuplicateMember.cluster_id)
                    .where(DuplicateMember.image_id.in_(missing), DuplicateCluster.state != "open")):
                self.decided[image_id].add(cluster_id)
        return set().union(*(self.decided[image_id] for image_id in image_ids))

    def apart(self, first: set[int], second: set[int]) -> bool:
        """Whether a moderator decided on a picture of ``first`` together with one of ``second`` already."""
        return bool(self.decided_with(first) & self.decided_with(second))

    def members_of(self, cluster_id: int) -> set[int]:
        """The pictures of open cluster ``cluster_id``."""
        if cluster_id not in self.members:
            self.members[cluster_id] = set(self.dbsession.scalars(
                select(DuplicateMember.image_id).where(DuplicateMember.cluster_id == cluster_id)))
        return self.members[cluster_id]

    def file(self, a: int, b: int, distance: float) -> bool:
        """File pair ``(a, b)``; returns whether a cluster was started, grown or joined to another."""
        if self.apart({a}, {b}):
            return False  # a moderator decided on these two together already
        first, second = self.open_of.get(a), self.open_of.get(b)
        if first is None and second is None:
            cluster = DuplicateCluster(backbone=self.backbone, state="open")
            self.dbsession.add(cluster)
            self.dbsession.flush()
            self.members[cluster.id] = set()
            self._add(cluster.id, a, 0.0)
            self._add(cluster.id, b, distance)
            return True
        if first == second:
            return False
        if first is None or second is None:
            cluster, newcomer = (second, a) if first is None else (first, b)
            members = self.members_of(cluster)
            if len(members) >= self.max_members or self.apart({newcomer}, members):
                return False
            self._add(cluster, newcomer, distance)
            return True
        return self._join(first, second)

    def _add(self, cluster_id: int, image_id: int, distance: float) -> None:
        self.dbsession.add(DuplicateMember(cluster_id=cluster_id, image_id=image_id, distance=round(distance, 6)))
        self.members_of(cluster_id).add(image_id)
        self.open_of[image_id] = cluster_id

    def _join(self, first: int, second: int) -> bool:
        keep, drop = sorted((first, second))
        if len(self.members_of(keep)) + len(self.members_of(drop)) > self.max_members or \
                self.apart(self.members_of(keep), self.members_of(drop)):
            return False
        self.dbsession.flush()
        self.dbsession.execute(update(DuplicateMember).where(DuplicateMember.cluster_id == drop)
                               .values(cluster_id=keep))
        self.dbsession.execute(delete(DuplicateCluster).where(DuplicateCluster.id == drop))
        for image_id in self.members.pop(drop):
            self.open_of[image_id] = keep
            self.members[keep].add(image_id)
        return True


def unscanned(dbsession: Any, backbone: str, after: tuple[Any, int] | None, limit: int) -> list[Any]:
    """The next ``limit`` embeddings of ``backbone`` the job has not scanned, oldest first, after keyset ``after``."""
    query = (select(Embedding.image_id, Embedding.vector, Embedding.created_at)
             .where(Embedding.backbone == backbone, ~exists().where(
                 DuplicateScan.image_id == Embedding.image_id, DuplicateScan.backbone == backbone))
             .order_by(Embedding.created_at, Embedding.image_id).limit(limit))
    if after is not None:
        query = query.where(or_(Embedding.created_at > after[0],
                                and_(Embedding.created_at == after[0], Embedding.image_id > after[1])))
    return list(dbsession.execute(query).all())


def present(dbsession: Any, pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The pairs both of whose pictures still exist and are not removed (the index keeps deleted pictures' keys
    until it is rebuilt, and a removed picture's files are gone for good)."""
    ids = {image_id for a, b, _ in pairs for image_id in (a, b)}
    if not ids:
        return []
    kept = set(dbsession.scalars(select(Image.id).where(Image.id.in_(ids), Image.status != "removed")))
    return [(a, b, distance) for a, b, distance in pairs if a in kept and b in kept]


def scan(request: Any, ann: Any, backbone: str) -> dict[str, int]:
    """Pair up to ``playground.duplicates_per_run`` unscanned embeddings that ``ann`` holds, file the pairs in
    clusters and record them as scanned; returns how many were scanned, paired and filed."""
    cap, k = setting(request, "playground.duplicates_per_run"), setting(request, "playground.duplicates_k")
    max_distance = setting(request, "playground.duplicates_max_distance")
    max_members = setting(request, "playground.duplicates_max_members")
    dbsession = request.dbsession
    looked = scanned = paired = filed = 0
    after = None
    while looked < cap:
        rows = unscanned(dbsession, backbone, after, min(PAGE, cap - looked))
        if not rows:
            break
        looked += len(rows)
        after = (rows[-1].created_at, rows[-1].image_id)
        held = np.atleast_1d(ann.index.contains(np.asarray([row.image_id for row in rows], dtype=np.uint64)))
        rows = [row for row, here in zip(rows, held, strict=True) if here]  # the rest: once the index has them
        if not rows:
            continue
        keys = [row.image_id for row in rows]
        pairs = find_pairs(ann.index, keys, np.stack([vector_of(row.vector) for row in rows]), k, max_distance)
        pairs = present(dbsession, pairs)
        clusters = OpenClusters(dbsession, backbone, {i for a, b, _ in pairs for i in (a, b)}, max_members)
        filed += sum(clusters.file(a, b, distance) for a, b, distance in pairs)
        dbsession.add_all(DuplicateScan(image_id=key, backbone=backbone) for key in keys)
        dbsession.flush()
        scanned, paired = scanned + len(keys), paired + len(pairs)
    return {"scanned": scanned, "pairs": paired, "filed": filed}


def find_duplicates(scope: Callable[[], AbstractContextManager[Any]]) -> dict[str, Any]:
    """Look the newly embedded pictures up for near duplicates (one writer at a time per backbone); ``scope()``
    yields a request whose transaction commits at exit."""
    from .providers import backbone_of  # torch: loaded by the worker

    with scope() as request:
        registry = request.registry
        provider = backbone_of(registry)
        ann = registry["playground.similar"].current(registry, provider.version, provider.features)
        index_file = path_of(registry, provider.version)
        with writing(index_file.with_name(index_file.stem + "-duplicates.usearch")):
            return scan(request, ann, provider.version)


def duplicates_job(ctx: JobContext) -> dict[str, Any]:
    """Every few minutes: file the newly embedded pictures' near duplicates in clusters."""
    return find_duplicates(ctx.request)


DUPLICATE_JOBS = [JobSpec(JOB, duplicates_job, every_seconds=EVERY,
                          description="cluster newly embedded pictures with their near duplicates for moderators")]
