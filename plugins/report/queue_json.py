"""Queue items as JSON, a page at a time: a few batched queries whatever the page size."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import case, func, literal, select, union_all

from imagemonkey.plugin import Image, images_json, isoformat

from .models import Decision, QueueItem, Report

#: A donor's donations are counted up to this many (then ``more_donations``), so a prolific donor costs
#: the same as any other: each count reads at most this many index entries.
DONATIONS_COUNTED = 100


def donation_counts(dbsession: Any, donors: list[int]) -> dict[int, int]:
    """Donations per donor, each counted up to ``DONATIONS_COUNTED + 1``, in one statement."""
    if not donors:
        return {}
    parts = [select(literal(donor).label("donor_id"), func.count().label("n")).select_from(
        select(Image.id).where(Image.donor_id == donor).limit(DONATIONS_COUNTED + 1).subquery())
        for donor in donors]
    return {donor: n for donor, n in dbsession.execute(union_all(*parts))}


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
    donors = sorted({images[i].donor_id for i in ids if images[i].donor_id is not None})
    donations = donation_counts(dbsession, donors)
    removals = dict(dbsession.execute(
        select(Image.donor_id, func.count()).select_from(Decision).join(Image, Image.id == Decision.image_id)
        .where(Decision.new_status == "hidden", Decision.reverted_at.is_(None), Image.donor_id.in_(donors))
        .group_by(Image.donor_id)).all()) if donors else {}
    answer = []
    for item in items:
        donor_id = images[item.image_id].donor_id
        answer.append({
            "image": documents[item.image_id], "kind": item.kind, "reason": item.reason,
            "opened_at": isoformat(item.opened_at), "score": round(item.score, 3), "hidden": item.hidden,
            "reports": sorted(reports.get(item.image_id, []), key=lambda r: -r["weight"]),
            "screening": {"result": json.loads(item.screening) if item.screening else None,
                          "error": item.screening_error, "screened_at": isoformat(item.screened_at)},
            "donor": None if donor_id is None else {
                "id": str(donor_id), "donations": min(donations.get(donor_id, 0), DONATIONS_COUNTED),
                "more_donations": donations.get(donor_id, 0) > DONATIONS_COUNTED,
                "removals": removals.get(donor_id, 0)},
        })
    return answer
