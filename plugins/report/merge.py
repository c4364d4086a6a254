"""Report's part of a claim on log-in (``imagemonkey_contributor_merged``): reports and the reporter's standing.

An image both contributors reported keeps the account's report: the anonymous one is deleted, its log entry
marked reverted, and the image's queue item rescored (as a revert does). Standing is added to the account's.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from imagemonkey.plugin import Image, mark_contributions_reverted

from .models import QueueItem, Report, Standing
from .quarantine import apply_score
from .queue import refresh_reports
from .settings import Policy


def merge_contributor(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """Move ``source_id``'s reports and standing to ``target_id``; returns ``{"report.report": reports moved}``."""
    dbsession = request.dbsession
    _drop_double_reports(request, source_id, target_id)
    moved = dbsession.execute(update(Report).where(Report.contributor_id == source_id)
                              .values(contributor_id=target_id)).rowcount
    source = dbsession.get(Standing, source_id, with_for_update=True)
    if source is not None:
        target = dbsession.get(Standing, target_id, with_for_update=True)
        if target is None:
            dbsession.add(Standing(contributor_id=target_id, dismissed=source.dismissed, upheld=source.upheld))
        else:
            target.dismissed, target.upheld = target.dismissed + source.dismissed, target.upheld + source.upheld
        dbsession.delete(source)
        dbsession.flush()
    return {"report.report": int(moved)}


def _drop_double_reports(request: Any, source_id: int, target_id: int) -> None:
    """Delete the source's reports on images the target reported too, and rescore those images' queue items."""
    dbsession = request.dbsession
    theirs = select(Report.image_id).where(Report.contributor_id == target_id)
    doubles = dbsession.execute(select(Report.id, Report.image_id).where(Report.contributor_id == source_id,
                                                                         Report.image_id.in_(theirs))).all()
    if not doubles:
        return
    dbsession.execute(delete(Report).where(Report.id.in_([row.id for row in doubles])))
    mark_contributions_reverted(request, source_id, "report.report", [str(row.id) for row in doubles])
    policy = Policy.of(request)
    for image_id in sorted({row.image_id for row in doubles}):
        item = dbsession.get(QueueItem, image_id, with_for_update=True)
        image = dbsession.get(Image, image_id)
        if item is not None and image is not None and item.is_open:
            refresh_reports(dbsession, policy, item)
            apply_score(request, policy, image, item)
