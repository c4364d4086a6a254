"""``GET /api/v1/validate/agreement``: how often your answers agreed with the settled result (for ``/me``)."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import and_, case, func, select

from imagemonkey.plugin import require_contributor

from .models import Subject, Vote

AGREES = case((and_(Vote.vote == "yes", Subject.state == "verified"), 1),
              (and_(Vote.vote == "no", Subject.state == "rejected"), 1), else_=0)


@view_config(route_name="validate.agreement", request_method="GET", renderer="json")
def agreement(request: Any) -> dict[str, Any]:
    """``{"answers", "settled", "agreed"}``: your answers, those on settled subjects, and those that matched.

    Reads only the caller's own votes (the ``(contributor_id, kind, subject_id)`` index) joined to their subjects.
    """
    contributor = require_contributor(request)
    mine = Vote.contributor_id == contributor.id
    answers = request.dbsession.scalar(select(func.count()).select_from(Vote).where(mine))
    settled, agreed = request.dbsession.execute(
        select(func.count(), func.coalesce(func.sum(AGREES), 0)).select_from(Vote)
        .join(Subject, and_(Subject.kind == Vote.kind, Subject.subject_id == Vote.subject_id))
        .where(mine, Vote.vote != "unsure", Subject.state.in_(("verified", "rejected")))).one()
    return {"answers": answers, "settled": settled, "agreed": int(agreed)}
