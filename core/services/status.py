"""Changing an image's status: recorded, announced through the status hook, files removed after commit."""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from ..db import after_commit
from ..models import Image, ImageStatusChange
from . import contributions


def change_status(request: Any, image: Image, new_status: str, reason: str | None, *,
                  by_contributor: bool = True) -> bool:
    """Move ``image`` to ``new_status``; returns False when it already had it.

    The move is the request's contributor's (recorded in the status history and their contribution log)
    unless ``by_contributor`` is False: a rule of the site moved it (a donation held for screening), so it
    names no contributor and is logged as nobody's work.
    """
    old_status = image.status
    if old_status == new_status:
        return False
    image.status = new_status
    who = request.contributor if by_contributor else None
    request.dbsession.add(ImageStatusChange(image_id=image.id, old_status=old_status, new_status=new_status,
                                            reason=reason, contributor_id=who.id if who else None))
    if who is not None:
        contributions.record(request, "image.status", image.id)
    request.registry.pm.hook.imagemonkey_image_status_changed(
        request=request, image=image, old_status=old_status, new_status=new_status, reason=reason)
    if new_status == "removed":
        delete_files_after_commit(request, image)
    return True


def delete_files_after_commit(request: Any, image: Image) -> None:
    """Delete the image's blobs once the transaction commits, unless another live image shares them."""
    keys = {image.original_key, image.medium_key, image.thumb_key}
    still_used = set()
    for row in request.dbsession.execute(
            select(Image.original_key, Image.medium_key, Image.thumb_key).where(
                Image.id != image.id, Image.status != "removed",
                or_(Image.original_key.in_(keys), Image.medium_key.in_(keys), Image.thumb_key.in_(keys)))):
        still_used.update(row)
    store = request.registry["blobstore"]

    def delete() -> None:
        for key in keys - still_used:
            store.delete(key)

    after_commit(request, delete)
