"""Browsing images by label and status, newest first (or in another order), with keyset pagination."""
from __future__ import annotations

import random
from typing import Any

from sqlalchemy import func, select

from ..auth import require_contributor
from ..errors import ApiError, bad_request, invalid
from ..models import Image
from ..models.image import STATUSES
from ..query import QueryError, image_condition, image_query, query_error
from .browse_orders import PLUGIN_ORDERS, BrowseOrder, browse_orders, order_names
from .pagination import encode_cursor, read_cursor, read_limit
from .serialize import images_json
from .visibility import visible_clause


def browse_page(request: Any, text: str | None = None) -> dict[str, Any]:
    """``?q=&label=&status=&donor=me&order=&limit=&cursor=``: a page of visible images and the next cursor.

    ``q`` (or ``text`` when given) is a query in the query language (``docs/query.md``); a
    mistake in it is a 400 with its position. ``order`` is ``newest`` (the default), ``oldest``,
    ``random`` (see :func:`random_page`) or a plugin's (validate's ``fewest_votes``, see :func:`plugin_page`).
    """
    limit = read_limit(request)
    order = read_order(request)
    by_plugin = browse_orders(request.registry).get(order)
    if by_plugin is not None:
        cursor = read_cursor(request, by_plugin.key_size)
    else:
        cursor = read_cursor(request) if order != "random" else None
    status = request.params.get("status")
    if status is not None and status not in STATUSES:
        raise invalid(f"status must be one of {', '.join(STATUSES)}.", field="status")
    if text is None:
        text = query_text(request)
    query, column = select(Image), Image.id
    try:
        if text and by_plugin is not None:
            query = query.where(image_condition(request.registry, text))
        elif text:
            query, column = image_query(request.registry, text, ascending=order != "newest")
    except QueryError as error:
        raise query_error(error) from None
    if not text and by_plugin is None:
        query = query.order_by(Image.id.desc() if order == "newest" else Image.id.asc())
    if cursor is not None and by_plugin is None:
        query = query.where(column < cursor if order == "newest" else column > cursor)
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
    if by_plugin is not None:
        return plugin_page(request, by_plugin, query, cursor, limit)
    if order == "random":
        return {"images": images_json(request, random_page(request.dbsession, query, column, limit)),
                "next_cursor": None}
    images = list(request.dbsession.scalars(query.limit(limit + 1)))
    more = len(images) > limit
    images = images[:limit]
    return {"images": images_json(request, images), "next_cursor": encode_cursor(images[-1].id) if more else None}


def read_order(request: Any) -> str:
    """``?order=`` (``newest`` when absent), or a 400: ``order_unavailable`` for a plugin's order whose plugin is
    not enabled, ``invalid_order`` for anything else unknown."""
    order = request.params.get("order", "newest")
    names = order_names(request.registry)
    if order in names:
        return order
    if order in PLUGIN_ORDERS:
        raise bad_request(f"order {order} needs the {PLUGIN_ORDERS[order]} plugin, which this server does not "
                          f"run (orders here: {', '.join(names)}).", code="order_unavailable")
    raise bad_request(f"order must be one of {', '.join(names)}.", code="invalid_order")


def plugin_page(request: Any, by: BrowseOrder, query: Any, after: list[int] | None, limit: int) -> dict[str, Any]:
    """A page of ``query`` in a plugin's order: ``limit + 1`` rows of ``(image, key...)``; the cursor is the key of
    the page's last image."""
    rows = list(request.dbsession.execute(by.order(query, after).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return {"images": images_json(request, [row[0] for row in rows]),
            "next_cursor": encode_cursor([int(value) for value in rows[-1][1:]]) if more else None}


def random_page(dbsession: Any, query: Any, column: Any, limit: int) -> list[Image]:
    """Up to ``limit`` matches of ``query`` (ascending along ``column``) from a random pivot id, wrapping round.

    Two primary-key lookups find the id range, then the page is one index range from the pivot (and,
    when that runs out, one from the start): bounded work at any size, no cursor. Images after a gap
    in the ids come up more often; a sample, not a shuffle.
    """
    low, high = dbsession.execute(select(func.min(Image.id), func.max(Image.id))).one()
    if low is None:
        return []
    pivot = random.randint(low, high)
    images = list(dbsession.scalars(query.where(column >= pivot).limit(limit)))
    if len(images) < limit:
        images += dbsession.scalars(query.where(column < pivot).limit(limit - len(images)))
    return images


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
