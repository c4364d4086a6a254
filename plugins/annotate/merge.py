"""Annotate's part of a claim on log-in (``imagemonkey_contributor_merged``): outlines, revisions, marks, skips.

A mark or skip both contributors made on one image label keeps the account's: the anonymous one is deleted
(a mark also leaves the label's count of marks) and its log entry is marked reverted.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from imagemonkey.plugin import mark_contributions_reverted

from . import candidates
from .models import Annotation, NotAnnotatable, Revision, Skip


def merge_contributor(request: Any, source_id: int, target_id: int) -> dict[str, int]:
    """Move ``source_id``'s annotate rows to ``target_id``; returns the revisions and marks moved."""
    dbsession = request.dbsession
    for image_label_id in _drop_doubles(request, NotAnnotatable, "annotate.not_annotatable", source_id, target_id):
        candidates.change_not_annotatable(dbsession, image_label_id, -1)
    _drop_doubles(request, Skip, "annotate.skip", source_id, target_id)
    moved = {}
    for kind, model in (("annotate.revision", Revision), ("annotate.not_annotatable", NotAnnotatable),
                        ("annotate.skip", Skip), ("annotate.annotation", Annotation)):
        moved[kind] = dbsession.execute(update(model).where(model.contributor_id == source_id)
                                        .values(contributor_id=target_id)).rowcount
    return moved


def _drop_doubles(request: Any, model: Any, kind: str, source_id: int, target_id: int) -> list[int]:
    """Delete the source's rows of ``model`` on image labels the target has one on too; returns those labels."""
    dbsession = request.dbsession
    theirs = select(model.image_label_id).where(model.contributor_id == target_id)
    doubles = list(dbsession.scalars(select(model.image_label_id).where(model.contributor_id == source_id,
                                                                        model.image_label_id.in_(theirs))))
    if doubles:
        dbsession.execute(delete(model).where(model.contributor_id == source_id,
                                              model.image_label_id.in_(doubles)))
        mark_contributions_reverted(request, source_id, kind, [str(image_label_id) for image_label_id in doubles])
    return doubles
