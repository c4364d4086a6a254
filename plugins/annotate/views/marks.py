"""Skipping an image label and marking it as one that cannot be annotated."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from imagemonkey.plugin import insert_once, record_contribution, require_contributor

from .. import candidates, service
from ..models import Candidate, NotAnnotatable, Skip


def _insert_once(request: Any, row: Any) -> bool:
    """Add ``row``; False when its primary key was already there."""
    dbsession = request.dbsession
    if dbsession.get(type(row), dbsession.identity_key(instance=row)[1]) is not None:
        return False
    return insert_once(dbsession, row)


@view_config(route_name="annotate.skip", request_method="POST", renderer="json")
def skip(request: Any) -> dict[str, Any]:
    """Never offer this image label to the caller as an annotate task again."""
    contributor = require_contributor(request)
    image_label = service.visible_image_label(request, request.matchdict["id"])
    if _insert_once(request, Skip(contributor_id=contributor.id, image_label_id=image_label.id)):
        record_contribution(request, "annotate.skip", image_label.id)
    return {"image_label_id": str(image_label.id), "skipped": True}


@view_config(route_name="annotate.not_annotatable", request_method="POST", renderer="json")
def not_annotatable(request: Any) -> dict[str, Any]:
    """The caller says this label makes no sense to outline; it also counts as the caller's skip.

    After :data:`candidates.NOT_ANNOTATABLE_LIMIT` contributors said so, it is no longer a task.
    """
    contributor = require_contributor(request)
    image_label = service.visible_image_label(request, request.matchdict["id"])
    dbsession = request.dbsession
    candidates.add(request, [image_label])
    if _insert_once(request, NotAnnotatable(image_label_id=image_label.id, contributor_id=contributor.id)):
        record_contribution(request, "annotate.not_annotatable", image_label.id)
        candidates.change_not_annotatable(dbsession, image_label.id, 1)
    _insert_once(request, Skip(contributor_id=contributor.id, image_label_id=image_label.id))
    candidate = dbsession.get(Candidate, image_label.id)
    count = candidate.not_annotatable_count if candidate is not None else 0
    return {"image_label_id": str(image_label.id), "not_annotatable_count": count,
            "retired": count >= candidates.NOT_ANNOTATABLE_LIMIT}
