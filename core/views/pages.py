"""Server-rendered pages: the home page, browsing, one image. Every page gets the layout's globals."""
from __future__ import annotations

from typing import Any

from pyramid.events import BeforeRender, subscriber
from pyramid.view import view_config
from sqlalchemy import func, select

from ..models import Image, ImageLabel
from ..plugins import collect_hook
from ..services.browse import browse_page
from ..services.serialize import image_json
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
    """What this instance is, live counts, the enabled features and how to get the extension."""
    dbsession = request.dbsession
    return {
        "title": "Home",
        "counts": {"images": dbsession.scalar(select(func.count()).select_from(Image)
                                              .where(Image.status == "public")),
                   "labels": dbsession.scalar(select(func.count()).select_from(ImageLabel).join(Image)
                                              .where(Image.status == "public")),
                   "catalog": len(request.registry["catalog"].by_name)},
        "plugins": request.registry["enabled_plugins"],
        "public_url": request.registry.settings["imagemonkey.public_url"],
    }


@view_config(route_name="browse", renderer="imagemonkey:templates/browse.jinja2")
def browse(request: Any) -> dict[str, Any]:
    """Public images, newest first, optionally with one label."""
    result = browse_page(request)
    return {"title": "Browse", "label": request.params.get("label"), **result}


@view_config(route_name="image_page", renderer="imagemonkey:templates/image.jinja2")
def image_page(request: Any) -> dict[str, Any]:
    """One image with its labels."""
    return {"title": "Image", "image": image_json(request, get_visible_image(request, request.matchdict["id"]))}
