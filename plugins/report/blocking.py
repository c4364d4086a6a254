"""Images a moderator removed stay out: the same bytes or a near copy cannot be donated again."""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from imagemonkey.plugin import ApiError, Image

from .models import Decision

NEAR_DISTANCE = 6


def removed_by_decision(dbsession: Any) -> Any:
    """Ids of images hidden by a standing remove decision (a subquery)."""
    return select(Decision.image_id).where(Decision.new_status == "hidden", Decision.reverted_at.is_(None))


def check_not_removed(request: Any, image: Image, duplicate: bool) -> None:
    """Raise 403 ``blocked`` when ``image`` is, or is a near copy of, an image a moderator removed.

    Near copies are found through core's perceptual-hash bands: a candidate shares a band with the new
    image and is within ``NEAR_DISTANCE`` bits (a copy within 2 bits always shares a band).
    """
    dbsession = request.dbsession
    removed = removed_by_decision(dbsession)
    if duplicate:
        hit = image.status == "hidden" and dbsession.scalar(select(removed.where(Decision.image_id == image.id)
                                                                   .exists()))
    else:
        candidates = dbsession.execute(select(Image.phash).where(
            Image.id != image.id, Image.status == "hidden", Image.id.in_(removed),
            or_(Image.phash_b0 == image.phash_b0, Image.phash_b1 == image.phash_b1,
                Image.phash_b2 == image.phash_b2)).limit(50)).scalars()
        hit = any(bin((phash ^ image.phash) & (2**64 - 1)).count("1") <= NEAR_DISTANCE for phash in candidates)
    if hit:
        raise ApiError(403, "blocked", "This image was removed from the dataset and cannot be donated again.")
