"""Refine's part of a claim on log-in (``imagemonkey_contributor_merged``): the anonymous contributor's answers.

A property (of an image label or of one outlined object) both contributors answered keeps the account's answer:
the anonymous one is deleted, its log entry marked reverted, and the property settled again.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, tuple_, update

from imagemonkey.plugin import ImageLabel, mark_contributions_reverted

from .models import Answer
from .settlement import resettle


def merge_contributor(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """Move ``source_id``'s answers to ``target_id``; returns ``{"refine.answer": answers moved}``."""
    dbsession = request.dbsession
    theirs = select(Answer.image_label_id, Answer.shape_id, Answer.property).where(Answer.contributor_id == target_id)
    doubles = dbsession.execute(
        select(Answer.id, Answer.image_label_id, Answer.shape_id, Answer.image_id, Answer.property, ImageLabel.label)
        .join(ImageLabel, ImageLabel.id == Answer.image_label_id)
        .where(Answer.contributor_id == source_id,
               tuple_(Answer.image_label_id, Answer.shape_id, Answer.property).in_(theirs))).all()
    if doubles:
        dbsession.execute(delete(Answer).where(Answer.id.in_([row.id for row in doubles])))
        mark_contributions_reverted(request, source_id, "refine.answer", [str(row.id) for row in doubles])
    moved = dbsession.execute(update(Answer).where(Answer.contributor_id == source_id)
                              .values(contributor_id=target_id)).rowcount
    for row in doubles:
        resettle(request, row.image_label_id, row.image_id, row.label, row.property, row.shape_id)
    return {"refine.answer": int(moved)}
