"""``/moderate`` for sites whose core has no moderation page: the page slots of ``moderate`` (the plugin's
queue among them). Core registers its routes first, so a core ``/moderate`` always wins over this one."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from imagemonkey.plugin import page_slots


@view_config(route_name="report.moderate_page", renderer="imagemonkey_report:templates/moderate_page.jinja2")
def moderate_page(request: Any) -> dict[str, Any]:
    """The moderation page (its data comes from the API with the moderator's token)."""
    return {"title": "Moderate", "slots": page_slots(request, "moderate", {})}
