"""The near-duplicate review API (moderators): the open clusters, and a decision on one."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from imagemonkey.plugin import (
    MAX_INT32,
    ascii_int,
    encode_cursor,
    json_body,
    not_found,
    read_cursor,
    read_limit,
    require_role,
)

from .duplicate_review import cluster_json, decide, open_clusters, public_members

DEFAULT_LIMIT = 10


@view_config(route_name="playground.duplicates", request_method="GET", renderer="json")
def list_clusters(request: Any) -> dict[str, Any]:
    """Open clusters with at least two public pictures, oldest first: ``{clusters, next_cursor}``."""
    require_role(request, "moderator")
    limit = read_limit(request, default=DEFAULT_LIMIT)
    after = read_cursor(request) or 0
    clusters = open_clusters(request.dbsession, after, limit + 1)
    more = len(clusters) > limit
    clusters = clusters[:limit]
    members = public_members(request.dbsession, [cluster.id for cluster in clusters])
    return {"clusters": [cluster_json(request, cluster, members[cluster.id]) for cluster in clusters],
            "next_cursor": encode_cursor(clusters[-1].id) if more else None}


@view_config(route_name="playground.duplicate_decision", request_method="POST", renderer="json")
def decide_cluster(request: Any) -> dict[str, Any]:
    """``{"decision": "merge", "keep_image_id": "12"}`` or ``{"decision": "keep"}`` (``reason`` optional)."""
    require_role(request, "moderator")
    cluster_id = ascii_int(request.matchdict["id"])
    if cluster_id is None or cluster_id > MAX_INT32:
        raise not_found("duplicate cluster")
    return {"cluster": decide(request, cluster_id, json_body(request))}
