"""Server-rendered pages: the home page, browsing, one image. Every page gets the layout's globals."""
from __future__ import annotations

from typing import Any

from pyramid.events import BeforeRender, subscriber
from pyramid.view import view_config
from sqlalchemy import func, select

from ..errors import ApiError
from ..models import Image, ImageLabel
from ..query import query_prefixes
from ..services.browse import browse_page, count_matches
from ..services.serialize import image_json
from ..services.visibility import get_visible_image
from ..version import __version__


def navigation(request: Any) -> list[dict[str, Any]]:
    """Navigation entries from every plugin, in load order."""
    return [entry for found in reversed(request.registry.pm.hook.imagemonkey_navigation(request=request))
            if found for entry in found]


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


@view_config(route_name="home", renderer="imagemonkey:templates/home.jinja2")
def home(request: Any) -> dict[str, Any]:
    """What this instance is, live counts, the enabled features and how to get the extension."""
    dbsession = request.dbsession
    return {
        "title": "Home",
        "counts": {"images": dbsession.scalar(select(func.count()).select_from(Image)
                                              .where(Image.status == "public")),
                   "labels": dbsession.scalar(select(func.count()).select_from(ImageLabel)),
                   "catalog": len(request.registry["catalog"].by_name)},
        "plugins": request.registry["enabled_plugins"],
    }


@view_config(route_name="browse", renderer="imagemonkey:templates/browse.jinja2")
def browse(request: Any) -> dict[str, Any]:
    """Images matching ``?q=`` (or ``?label=``), newest first; a mistake or no match shows the query, never a 404."""
    query = (request.params.get("q") or request.params.get("label") or "").strip()
    values: dict[str, Any] = {"title": f"Browse: {query}" if query else "Browse", "query": query,
                              "images": [], "next_cursor": None, "error": None, "count": None,
                              "prefixes": sorted(query_prefixes(request.registry))}
    try:
        values.update(browse_page(request, query))
        if query:
            values["count"] = count_matches(request, query)
    except ApiError as error:
        request.response.status_int = error.status
        values["error"] = error.body()["error"]
    return values


@view_config(route_name="image_page", renderer="imagemonkey:templates/image.jinja2")
def image_page(request: Any) -> dict[str, Any]:
    """One image with its labels."""
    return {"title": "Image", "image": image_json(request, get_visible_image(request, request.matchdict["id"]))}
