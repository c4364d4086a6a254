"""A reverted contributor's reports disappear; images held only because of them return."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from imagemonkey.plugin import Image

from .models import QueueItem, Report
from .quarantine import apply_score
from .queue import refresh_reports
from .settings import Policy


def revert_reports(request: Any, contributor: Any) -> int:
    """Delete every report of ``contributor``, rescore the images they touched; returns how many went."""
    dbsession = request.dbsession
    image_ids = sorted(set(dbsession.scalars(select(Report.image_id).where(Report.contributor_id == contributor.id))))
    if not image_ids:
        return 0
    count = dbsession.execute(delete(Report).where(Report.contributor_id == contributor.id)).rowcount
    policy = Policy.of(request)
    for image_id in image_ids:
        item = dbsession.get(QueueItem, image_id, with_for_update=True)
        image = dbsession.get(Image, image_id)
        if item is None or image is None or not item.is_open:
            continue
        refresh_reports(dbsession, policy, item)
        apply_score(request, policy, image, item)
    return int(count)
