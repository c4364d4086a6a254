"""Who may see which image: public ones for all, pending ones for their donor, all for moderators."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, true

from ..errors import not_found
from ..inputs import MAX_INT32, ascii_int
from ..models import Contributor, Image


def can_see(contributor: Contributor | None, image: Image) -> bool:
    """True when ``contributor`` (None for the public) may see ``image``."""
    if image.status == "public":
        return True
    if contributor is None:
        return False
    if contributor.has_role("moderator"):
        return True
    return image.status == "pending" and image.donor_id == contributor.id


def visible_clause(contributor: Contributor | None) -> ColumnElement[bool]:
    """The SQL condition matching :func:`can_see`."""
    if contributor is not None and contributor.has_role("moderator"):
        return true()
    if contributor is None:
        return Image.status == "public"
    return or_(Image.status == "public", and_(Image.status == "pending", Image.donor_id == contributor.id))


def get_visible_image(request: Any, image_id: str) -> Image:
    """The image ``image_id`` if the caller may see it; a 404 otherwise (never a 403: ids leak nothing)."""
    image = request.dbsession.get(Image, parse_id(image_id, "image"))
    if image is None or not can_see(request.contributor, image):
        raise not_found("image")
    return image


def parse_id(raw: str, what: str) -> int:
    """An id from the URL; anything that is not one of ours (ASCII digits, within the id columns) is a 404.

    ids are INTEGER columns: a larger number would be an out-of-range error on PostgreSQL (a 500), not a 404.
    """
    number = ascii_int(raw)
    if number is None or number > MAX_INT32:
        raise not_found(what)
    return number
