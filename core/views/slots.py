"""Page slots: HTML fragments plugins add to pages through ``imagemonkey_page_slots``.

Templates call ``page_slots(page, context)`` (a layout global) and render the items with
the ``render_slots`` macro of ``imagemonkey:templates/slots.jinja2``.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from pyramid.renderers import render

from ..plugins import PluginError, collect_hook

#: core's pages, then the plugin pages that offer slots (validate's question and grid, annotate's editor)
PAGES = ("image", "home", "moderate", "browse_tile", "me", "validate", "validate_grid", "annotate", "footer")
SLOTS = ("panel", "action", "card", "section")


def render_fragment(request: Any, template: str, values: dict[str, Any] | None = None) -> Markup:
    """Render a Jinja2 template (an asset spec such as ``"acme:templates/panel.jinja2"``) to safe HTML."""
    return Markup(render(template, dict(values or {}), request=request))


def page_slots(request: Any, page: str, context: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every plugin's slot items for ``page``, in load order; PluginError on a duplicate id or unknown slot."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; pages with slots: {', '.join(PAGES)}")
    items = collect_hook(request.registry, "imagemonkey_page_slots", lambda item: item["id"], "page slot",
                         request=request, page=page, context=dict(context or {}))
    for item in items:
        if item.get("slot") not in SLOTS:
            raise PluginError(f"page slot {item['id']!r} has slot {item.get('slot')!r}; use one of {', '.join(SLOTS)}")
        item["html"] = escape(item.get("html", ""))  # Markup stays as it is; a plain str is escaped
    return items
