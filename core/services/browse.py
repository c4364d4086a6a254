"""Browsing images by label and status, newest first, with keyset pagination."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..errors import ApiError, invalid
from ..models import Image, ImageLabel
from ..models.image import STATUSES
from .pagination import encode_cursor, read_cursor, read_limit
from .serialize import images_json
from .visibility import visible_clause


def browse_page(request: Any) -> dict[str, Any]:
    """``?label=&status=&limit=&cursor=``: a page of visible images and the next cursor."""
    limit = read_limit(request)
    cursor = read_cursor(request)
    status = request.params.get("status")
    if status is not None and status not in STATUSES:
        raise invalid(f"status must be one of {', '.join(STATUSES)}.", field="status")
    query = select(Image).where(visible_clause(request.contributor))
    if status is not None:
        query = query.where(Image.status == status)
    else:  # quarantined images are listed only when a moderator asks for them
        query = query.where(Image.status != "quarantined")
    label_name = request.params.get("label")
    if label_name:
        label = request.registry["catalog"].resolve(label_name)
        if label is None:
            raise ApiError(404, "unknown_label", f"{label_name!r} is not in the label catalog.")
        query = query.join(ImageLabel, ImageLabel.image_id == Image.id).where(ImageLabel.label == label)
        order_column = ImageLabel.image_id
    else:
        order_column = Image.id
    if cursor is not None:
        query = query.where(order_column < cursor)
    images = list(request.dbsession.scalars(query.order_by(order_column.desc()).limit(limit + 1)))
    more = len(images) > limit
    images = images[:limit]
    return {"images": images_json(request, images), "next_cursor": encode_cursor(images[-1].id) if more else None}
