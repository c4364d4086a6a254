"""Moderators' review of near-duplicate clusters: the open ones (public pictures only), and the decisions.

- ``merge``: one picture is kept; the labels of the others are added to it (core's labelling, logged as the
  moderator's) and the others are hidden through core's status change (recorded, announced, undoable by a
  moderator making them public again).
- ``keep``: the pictures are different; the cluster is closed and these pictures are never paired again.

Each decision is logged in the moderator's contribution log (``playground.duplicates_decision``) and on the cluster
(who, when, which picture was kept, the reason).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from imagemonkey.plugin import (
    ApiError,
    Image,
    ImageLabel,
    add_labels,
    ascii_int,
    change_status,
    conflict,
    images_json,
    invalid,
    isoformat,
    not_found,
    record_contribution,
    utcnow,
)

from .duplicate_models import DuplicateCluster, DuplicateMember

DECISIONS = ("merge", "keep")
KIND = "playground.duplicates_decision"
REASON_MAX = 500


def public_members(dbsession: Any, cluster_ids: list[int], *, lock: bool = False) -> dict[int, list[tuple]]:
    """``cluster id -> [(Image, distance)]`` of the clusters' public pictures, oldest picture first."""
    query = (select(DuplicateMember.cluster_id, DuplicateMember.distance, Image)
             .join(Image, Image.id == DuplicateMember.image_id)
             .where(DuplicateMember.cluster_id.in_(cluster_ids), Image.status == "public").order_by(Image.id))
    found: dict[int, list[tuple]] = {cluster_id: [] for cluster_id in cluster_ids}
    for cluster_id, distance, image in dbsession.execute(query.with_for_update(of=Image) if lock else query):
        found[cluster_id].append((image, distance))
    return found


def open_clusters(dbsession: Any, after: int, limit: int) -> list[DuplicateCluster]:
    """Up to ``limit`` open clusters with at least two public pictures, by id after ``after``."""
    reviewable = (select(DuplicateMember.cluster_id).join(Image, Image.id == DuplicateMember.image_id)
                  .where(Image.status == "public").group_by(DuplicateMember.cluster_id)
                  .having(func.count() >= 2))
    return list(dbsession.scalars(select(DuplicateCluster).where(
        DuplicateCluster.state == "open", DuplicateCluster.id > after, DuplicateCluster.id.in_(reviewable))
        .order_by(DuplicateCluster.id).limit(limit)))


def cluster_json(request: Any, cluster: DuplicateCluster, members: list[tuple]) -> dict[str, Any]:
    """The API's view of a cluster and its public pictures (``distance``: to the picture it was found next to)."""
    documents = images_json(request, [image for image, _ in members])
    return {"id": str(cluster.id), "state": cluster.state, "created_at": isoformat(cluster.created_at),
            "kept_image_id": None if cluster.kept_image_id is None else str(cluster.kept_image_id),
            "decided_at": isoformat(cluster.decided_at), "reason": cluster.reason,
            "images": [{"image": document, "distance": round(distance, 4)}
                       for document, (_, distance) in zip(documents, members, strict=True)]}


def read_decision(body: dict[str, Any]) -> tuple[str, int | None, str | None]:
    """``decision``, ``keep_image_id`` (merge only) and ``reason`` of a decision body, or a 422."""
    decision, raw_keep, reason = body.get("decision"), body.get("keep_image_id"), body.get("reason")
    if decision not in DECISIONS:
        raise invalid(f"decision must be one of {', '.join(DECISIONS)}.", field="decision")
    if reason is not None and (not isinstance(reason, str) or len(reason) > REASON_MAX):
        raise invalid(f"reason must be a string of at most {REASON_MAX} characters.", field="reason")
    if decision == "keep":
        if raw_keep is not None:
            raise invalid("keep_image_id goes with merge only.", field="keep_image_id")
        return decision, None, reason
    keep = ascii_int(str(raw_keep)) if isinstance(raw_keep, str | int) and not isinstance(raw_keep, bool) else None
    if keep is None:
        raise invalid("merge needs keep_image_id: the id of the picture to keep.", field="keep_image_id")
    return decision, keep, reason


def decide(request: Any, cluster_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Apply the decision of ``body`` to open cluster ``cluster_id`` (404 unknown, then 422 for a bad body, 409 when
    decided already), log it, and answer the cluster's JSON."""
    dbsession = request.dbsession
    cluster = dbsession.get(DuplicateCluster, cluster_id, with_for_update=True)
    if cluster is None:
        raise not_found("duplicate cluster")
    decision, keep_id, reason = read_decision(body)
    if cluster.state != "open":
        raise conflict(f"This cluster was decided already ({cluster.state}).")
    members = public_members(dbsession, [cluster.id], lock=True)[cluster.id]
    if len(members) < 2:
        raise ApiError(409, "nothing_to_decide", "Fewer than two of this cluster's pictures are public now.")
    if decision == "merge":
        kept = next((image for image, _ in members if image.id == keep_id), None)
        if kept is None:
            raise invalid("keep_image_id must be one of the cluster's public pictures.", field="keep_image_id")
        for image, _ in members:
            if image.id != kept.id:
                names = list(dbsession.scalars(select(ImageLabel.label).where(ImageLabel.image_id == image.id)))
                add_labels(request, kept, names)
                change_status(request, image, "hidden", f"near duplicate of image {kept.id} (cluster {cluster.id})")
        cluster.kept_image_id = kept.id
    cluster.state = "merged" if decision == "merge" else "kept"
    cluster.decided_by, cluster.decided_at, cluster.reason = request.contributor.id, utcnow(), reason
    record_contribution(request, KIND, cluster.id)
    dbsession.flush()
    return cluster_json(request, cluster, members)
