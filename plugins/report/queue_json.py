"""Queue items as JSON, a page at a time: a few batched queries whatever the page size."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import case, func, select

from imagemonkey.plugin import Image, images_json, isoformat

from .blocking import removed_by_decision
from .models import QueueItem, Report


def queue_json(request: Any, items: list[QueueItem]) -> list[dict[str, Any]]:
    """Each item with its image, reports grouped by reason, screening result and the donor's history."""
    if not items:
        return []
    dbsession = request.dbsession
    ids = [item.image_id for item in items]
    images = {image.id: image for image in dbsession.scalars(select(Image).where(Image.id.in_(ids)))}
    documents = dict(zip(ids, images_json(request, [images[i] for i in ids]), strict=True))
    reports: dict[int, list[dict[str, Any]]] = {}
    for image_id, reason, count, weight, fresh in dbsession.execute(
            select(Report.image_id, Report.reason, func.count(), func.sum(Report.weight),
                   func.sum(case((Report.fresh.is_(True), 1), else_=0)))
            .where(Report.image_id.in_(ids), Report.state == "open").group_by(Report.image_id, Report.reason)):
        reports.setdefault(image_id, []).append({"reason": reason, "count": count, "weight": round(weight, 3),
                                                 "fresh": int(fresh or 0)})
    donors = {images[i].donor_id for i in ids if images[i].donor_id is not None}
    donations = dict(dbsession.execute(select(Image.donor_id, func.count()).where(Image.donor_id.in_(donors))
                                       .group_by(Image.donor_id)).all()) if donors else {}
    removals = dict(dbsession.execute(select(Image.donor_id, func.count()).where(
        Image.donor_id.in_(donors), Image.id.in_(removed_by_decision(dbsession))).group_by(Image.donor_id)).all()) \
        if donors else {}
    answer = []
    for item in items:
        donor_id = images[item.image_id].donor_id
        answer.append({
            "image": documents[item.image_id], "kind": item.kind, "reason": item.reason,
            "opened_at": isoformat(item.opened_at), "score": round(item.score, 3), "hidden": item.hidden,
            "reports": sorted(reports.get(item.image_id, []), key=lambda r: -r["weight"]),
            "screening": {"result": json.loads(item.screening) if item.screening else None,
                          "error": item.screening_error, "screened_at": isoformat(item.screened_at)},
            "donor": None if donor_id is None else {"id": str(donor_id), "donations": donations.get(donor_id, 0),
                                                    "removals": removals.get(donor_id, 0)},
        })
    return answer
