"""Captions of images: add, list, vote, lock."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import select

from ..auth import require_contributor, require_role
from ..errors import forbidden, invalid, not_found
from ..models import Caption, Image
from ..services import captions
from ..services.pagination import encode_cursor, read_cursor, read_limit
from ..services.visibility import can_see, get_visible_image, parse_id
from . import json_body


def visible_caption(request: Any) -> Caption:
    """The caption of the URL if the caller may see its image; a 404 otherwise."""
    caption = request.dbsession.get(Caption, parse_id(request.matchdict["id"], "caption"))
    if caption is None or not can_see(request.contributor, request.dbsession.get(Image, caption.image_id)):
        raise not_found("caption")
    return caption


@view_config(route_name="api.image_captions", request_method="POST", renderer="json")
def add_caption(request: Any) -> dict[str, Any]:
    """Caption an image the caller can see: ``{"text", "language"}``."""
    require_contributor(request)
    image = get_visible_image(request, request.matchdict["id"])
    body = json_body(request)
    text = captions.clean_text(body.get("text"))
    language = captions.clean_language(body.get("language"))
    caption = captions.add_caption(request, image, text, language)
    request.response.status_int = 201
    return captions.caption_json(caption)


@view_config(route_name="api.image_captions", request_method="GET", renderer="json")
def list_captions(request: Any) -> dict[str, Any]:
    """An image's captions, oldest first, paginated (``limit``, ``cursor``), with the image's settled caption id."""
    image = get_visible_image(request, request.matchdict["id"])
    limit = read_limit(request)
    cursor = read_cursor(request, items=1)
    query = select(Caption).where(Caption.image_id == image.id).order_by(Caption.id)
    if cursor is not None:
        query = query.where(Caption.id > cursor[0])
    rows = list(request.dbsession.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    settled = captions.settled_captions(request.dbsession, [image.id]).get(image.id)
    return {"captions": [captions.caption_json(row) for row in rows],
            "caption": str(settled.id) if settled is not None else None,
            "next_cursor": encode_cursor([rows[-1].id]) if more else None}


@view_config(route_name="api.caption_votes", request_method="POST", renderer="json")
def vote_caption(request: Any) -> dict[str, Any]:
    """Vote ``{"vote": "up"|"down"}`` on a caption (one vote each, changeable; never on one's own caption)."""
    contributor = require_contributor(request)
    caption = visible_caption(request)
    raw = json_body(request).get("vote")
    value = captions.VOTES.get(raw) if isinstance(raw, str) else None
    if value is None:
        raise invalid("vote must be 'up' or 'down'.", field="vote", code="invalid_vote")
    if caption.contributor_id == contributor.id:
        raise forbidden("You cannot vote on your own caption.", code="own_caption")
    captions.vote(request, caption, value)
    request.dbsession.refresh(caption)
    return captions.caption_json(caption)


@view_config(route_name="api.caption_lock", request_method="POST", renderer="json")
def lock_caption(request: Any) -> dict[str, Any]:
    """A moderator makes this caption its image's caption."""
    require_role(request, "moderator")
    caption = visible_caption(request)
    captions.lock(request.dbsession, caption)
    return captions.caption_json(caption)
