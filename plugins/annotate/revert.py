"""Undoing a contributor's annotation work (the moderator's revert)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from imagemonkey.plugin import Contributor

from . import bridge, candidates
from .counters import count_outline, count_revision
from .history import revision_shapes
from .models import Annotation, NotAnnotatable, Revision, Skip
from .service import dump


def revert_revisions(request: Any, contributor: Contributor) -> int:
    """Remove ``contributor``'s revisions; each annotation falls back to the latest revision by someone else.

    An annotation left without revisions is deleted. Returns the number of revisions removed.
    """
    dbsession = request.dbsession
    annotation_ids = list(dbsession.scalars(select(Revision.annotation_id).distinct()
                                            .where(Revision.contributor_id == contributor.id)))
    for revision in dbsession.scalars(select(Revision).where(Revision.contributor_id == contributor.id)):
        count_revision(dbsession, dbsession.get(Annotation, revision.annotation_id), revision.shape_count, -1,
                       revision.created_at.strftime("%Y-%m-%d"))
    removed = dbsession.execute(delete(Revision).where(Revision.contributor_id == contributor.id)
                                .execution_options(synchronize_session=False)).rowcount
    for annotation_id in annotation_ids:
        annotation = dbsession.get(Annotation, annotation_id)
        latest = dbsession.scalar(select(Revision).where(Revision.annotation_id == annotation_id)
                                  .order_by(Revision.revision.desc()).limit(1))
        image_label_id = annotation.image_label_id
        if latest is None:
            count_outline(dbsession, annotation, annotation.shape_count > 0, False)
            dbsession.delete(annotation)
            bridge.subject_removed(request, annotation_id)
        elif latest.revision != annotation.revision:
            count_outline(dbsession, annotation, annotation.shape_count > 0, latest.shape_count > 0)
            annotation.revision = latest.revision
            annotation.shapes = dump(revision_shapes(dbsession, latest))
            annotation.shape_count = latest.shape_count
            annotation.contributor_id = latest.contributor_id
            annotation.updated_at = latest.created_at
            bridge.subject_changed(request, annotation, latest.contributor_id)
        candidates.refresh_done(dbsession, image_label_id)
    return removed


def revert_marks(request: Any, contributor: Contributor) -> int:
    """Remove ``contributor``'s 'cannot be annotated' marks (and their skips); returns how many."""
    dbsession = request.dbsession
    marked = list(dbsession.scalars(select(NotAnnotatable.image_label_id)
                                    .where(NotAnnotatable.contributor_id == contributor.id)))
    dbsession.execute(delete(NotAnnotatable).where(NotAnnotatable.contributor_id == contributor.id))
    dbsession.execute(delete(Skip).where(Skip.contributor_id == contributor.id))
    for image_label_id in marked:
        candidates.change_not_annotatable(dbsession, image_label_id, -1)
    return len(marked)
