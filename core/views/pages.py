"""Server-rendered pages: the home page, browsing, one image. Every page gets the layout's globals."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pyramid.events import BeforeRender, subscriber
from pyramid.view import view_config

from ..errors import ApiError
from ..plugins import collect_hook
from ..query import query_prefixes
from ..services.browse import browse_page, count_matches
from ..services.browse_orders import order_names
from ..services.serialize import image_json
from ..services.statistics import image_labels_total, images_by_status
from ..services.visibility import get_visible_image
from ..version import __version__
from .slots import page_slots


def navigation(request: Any) -> list[dict[str, Any]]:
    """Navigation entries from every plugin, in load order."""
    return collect_hook(request.registry, "imagemonkey_navigation", lambda entry: entry["href"], "navigation entry",
                        request=request)


@subscriber(BeforeRender)
def layout_globals(event: BeforeRender) -> None:
    """Values the core layout needs on every page."""
    request = event.get("request")
    if request is None or not event.get("renderer_name", "").endswith(".jinja2") or event.rendering_val is None:
        return
    if not isinstance(event.rendering_val, dict):
        return
    event.setdefault("site_name", request.registry.settings["imagemonkey.name"])
    event.setdefault("version", __version__)
    event.setdefault("navigation", navigation(request))
    event.setdefault("title", None)
    event.setdefault("page_slots", lambda page, context=None: page_slots(request, page, context))


@view_config(route_name="home", renderer="imagemonkey:templates/home.jinja2")
def home(request: Any) -> dict[str, Any]:
    """What this instance is, live counts (from the statistics counters), the features and how to get the extension."""
    dbsession = request.dbsession
    return {
        "title": "Home",
        "counts": {"images": images_by_status(dbsession).get("public", 0),
                   "labels": image_labels_total(dbsession),
                   "catalog": len(request.registry["catalog"].by_name)},
        "plugins": request.registry["enabled_plugins"],
        "public_url": request.registry.settings["imagemonkey.public_url"],
    }


@view_config(route_name="browse", renderer="imagemonkey:templates/browse.jinja2")
def browse(request: Any) -> dict[str, Any]:
    """Images matching ``?q=`` (or ``?label=``), newest first; a mistake or no match shows the query, never a 404."""
    query = (request.params.get("q") or request.params.get("label") or "").strip()
    values: dict[str, Any] = {"title": f"Browse: {query}" if query else "Browse", "query": query,
                              "images": [], "next_cursor": None, "error": None, "count": None,
                              "prefixes": sorted(query_prefixes(request.registry)),
                              "orders": order_names(request.registry),
                              "order": request.params.get("order", "newest")}
    try:
        values.update(browse_page(request, query))
        if query:
            values["count"] = count_matches(request, query)
    except ApiError as error:
        request.response.status_int = error.status
        values["error"] = error.body()["error"]
    return values


def in_words(when: datetime, now: datetime | None = None) -> str:
    """``when`` as "3 days ago" (the page shows the exact time on hover)."""
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    for unit, size in (("year", 31_536_000), ("month", 2_592_000), ("week", 604_800), ("day", 86_400),
                       ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


@view_config(route_name="image_page", renderer="imagemonkey:templates/image.jinja2")
def image_page(request: Any) -> dict[str, Any]:
    """One image: outlines over it, each label's state and votes, plugins' sections, the date in words."""
    image = get_visible_image(request, request.matchdict["id"])
    document = image_json(request, image)
    return {"title": ", ".join(label["label"] for label in document["labels"]) or "Image", "image": document,
            "created_words": in_words(image.created_at),
            "slots": page_slots(request, "image", {"image": document})}
