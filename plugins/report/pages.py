"""What the report plugin adds to pages: a Report action on image pages, browse tiles, the validate page,
its grid's tiles and the annotate editor, and the moderation section of ``/moderate``."""
from __future__ import annotations

from typing import Any

from imagemonkey.plugin import render_fragment

from .queue import KINDS
from .settings import REASON_TITLES, REASONS

REASON_CHOICES = [(value, REASON_TITLES[value]) for value in REASONS]
#: pages whose slots are rendered once, not per picture: the action reports the nearest ``data-image-id`` above it
#: (validate's page, its grid's tiles, the editor, browse tiles); a compact one opens its form as a popover
FOLLOWING = {"validate": False, "validate_grid": True, "annotate": False, "browse_tile": True}  # page -> compact


def page_slots(request: Any, page: str, context: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The slot items of ``page``."""
    if page == "image" and context.get("image"):
        html = render_fragment(request, "imagemonkey_report:templates/report_action.jinja2",
                               {"image": context["image"], "reasons": REASON_CHOICES, "compact": False})
        return [{"id": "report", "slot": "action", "html": html}]
    if page in FOLLOWING:
        html = render_fragment(request, "imagemonkey_report:templates/report_action.jinja2",
                               {"image": None, "reasons": REASON_CHOICES, "compact": FOLLOWING[page]})
        return [{"id": "report", "slot": "action", "html": html}]
    if page == "moderate":
        html = render_fragment(request, "imagemonkey_report:templates/moderate_section.jinja2",
                               {"kinds": KINDS, "reasons": REASON_CHOICES})
        return [{"id": "report-queue", "slot": "section", "html": html}]
    return None
