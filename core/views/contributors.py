"""A contributor's history, summary and the moderator's revert."""
from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from pyramid.view import view_config
from sqlalchemy import func, select

from ..auth import may_act_on, require_contributor, require_role
from ..db import after_commit
from ..errors import ApiError, forbidden, not_found
from ..models import Contribution, Contributor
from ..services import contribution_words, contributions
from ..services.pagination import encode_cursor, read_cursor, read_limit
from ..services.revert import revert_contributor
from ..services.visibility import parse_id


def _contributor(request: Any) -> Contributor:
    raw = request.matchdict["id"]
    if raw == "me":
        return require_contributor(request)
    require_role(request, "moderator")
    contributor = request.dbsession.get(Contributor, parse_id(raw, "contributor"))
    if contributor is None:
        raise not_found("contributor")
    return contributor


@view_config(route_name="api.contributions", request_method="GET", renderer="json")
def list_contributions(request: Any) -> dict[str, Any]:
    """What a contributor did, newest first, each entry in words (moderators, or ``me`` for one's own history)."""
    contributor = _contributor(request)
    limit = read_limit(request)
    cursor = read_cursor(request)
    rows = contributions.page(request.dbsession, contributor.id, limit=limit + 1,
                              before_id=cursor)
    more = len(rows) > limit
    rows = rows[:limit]
    documents = [contributions.to_json(row) for row in rows]
    contribution_words.describe(request, documents)
    return {"contributions": documents,
            "next_cursor": encode_cursor(rows[-1].id) if more else None}


@view_config(route_name="api.contributor_summary", request_method="GET", renderer="json")
def summary(request: Any) -> dict[str, Any]:
    """How many contributions today (UTC) and in total, by kind too, and how each kind's count reads."""
    contributor = _contributor(request)
    midnight = datetime.combine(datetime.now(UTC).date(), time.min, tzinfo=UTC)
    base = select(Contribution.kind, func.count()).where(Contribution.contributor_id == contributor.id,
                                                         Contribution.reverted.is_(False))
    total = dict(request.dbsession.execute(base.group_by(Contribution.kind)).all())
    today = dict(request.dbsession.execute(base.where(Contribution.created_at >= midnight)
                                           .group_by(Contribution.kind)).all())
    return {"today": sum(today.values()), "total": sum(total.values()), "by_kind": total,
            "kinds": contribution_words.kind_words(request.registry, sorted(total))}


@view_config(route_name="api.contributor_revert", request_method="POST", renderer="json")
def revert(request: Any) -> dict[str, Any]:
    """Undo everything the contributor did, through each owner's revert hook, and block it."""
    moderator = require_role(request, "moderator")
    contributor = request.dbsession.get(Contributor, parse_id(request.matchdict["id"], "contributor"))
    if contributor is None:
        raise not_found("contributor")
    if contributor.id == moderator.id:
        raise ApiError(403, "cannot_revert_self", "A moderator cannot revert their own contributions.")
    if not may_act_on(moderator, contributor):
        raise forbidden("Only an admin may revert a contributor whose role is equal to or above yours.")
    reverted = revert_contributor(request, contributor)
    contributor.blocked = True
    cache = request.registry["identity_cache"]
    cache.clear()
    after_commit(request, cache.clear)  # again once the block is visible: a request may have cached the old row since
    contributions.record(request, "contributor.revert", contributor.id, contributor=moderator)
    return {"reverted": reverted, "blocked": True}
