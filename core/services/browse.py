"""Browsing images by label and status, newest first, with keyset pagination."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..auth import require_contributor
from ..errors import ApiError, bad_request, invalid
from ..models import Image
from ..models.image import STATUSES
from ..query import QueryError, image_query, query_error
from .pagination import encode_cursor, read_cursor, read_limit
from .serialize import images_json
from .visibility import visible_clause


def browse_page(request: Any, text: str | None = None) -> dict[str, Any]:
    """``?q=&label=&status=&donor=me&limit=&cursor=``: a page of visible images and the next cursor.

    ``q`` (or ``text`` when given) is a query in the query language (``docs/query.md``); a
    mistake in it is a 400 with its position.
    """
    limit = read_limit(request)
    cursor = read_cursor(request)
    status = request.params.get("status")
    if status is not None and status not in STATUSES:
        raise invalid(f"status must be one of {', '.join(STATUSES)}.", field="status")
    if text is None:
        text = query_text(request)
    query = select(Image)
    if text:
        try:
            query, _ = image_query(request.registry, text, before_id=cursor)
        except QueryError as error:
            raise query_error(error) from None
    elif cursor is not None:
        query = query.where(Image.id < cursor)
    query = query.where(visible_clause(request.contributor))
    donor = request.params.get("donor")
    if donor is not None:
        if donor != "me":
            raise bad_request("donor can only be 'me' (your own donations).", code="invalid_donor")
        query = query.where(Image.donor_id == require_contributor(request).id)
    if status is not None:
        query = query.where(Image.status == status)
    else:  # quarantined images are listed only when a moderator asks for them
        query = query.where(Image.status != "quarantined")
    if not text:
        query = query.order_by(Image.id.desc())
    images = list(request.dbsession.scalars(query.limit(limit + 1)))
    more = len(images) > limit
    images = images[:limit]
    return {"images": images_json(request, images), "next_cursor": encode_cursor(images[-1].id) if more else None}


def query_text(request: Any) -> str:
    """The query of ``?q=`` and ``?label=`` together (``label`` ANDs one more label; the API keeps answering 404
    for an unknown one)."""
    text = (request.params.get("q") or "").strip()
    label_name = request.params.get("label")
    if label_name:
        label = request.registry["catalog"].resolve(label_name)
        if label is None:
            raise ApiError(404, "unknown_label", f"{label_name!r} is not in the label catalog.")
        return f'"{label}" & ({text})' if text else f'"{label}"'
    return text


COUNT_CAP = 10_000


def count_matches(request: Any, text: str) -> dict[str, Any]:
    """How many images the caller may see match ``text``, counted up to :data:`COUNT_CAP` (bounded work)."""
    try:
        query, _ = image_query(request.registry, text)
    except QueryError as error:
        raise query_error(error) from None
    matching = (query.where(visible_clause(request.contributor), Image.status != "quarantined")
                .order_by(None).with_only_columns(Image.id))
    count = request.dbsession.scalar(select(func.count()).select_from(matching.limit(COUNT_CAP + 1).subquery()))
    return {"count": min(count, COUNT_CAP), "capped": count > COUNT_CAP}
