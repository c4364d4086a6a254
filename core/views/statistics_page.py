"""The statistics page: every section's charts (drawn by Chart.js from the page's own tables) and work lists."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from ..services import profiles
from ..services.person_counters import week_of
from .tasks import statistics

CORE_SECTIONS = ["activity", "images", "labels"]


@view_config(route_name="statistics", renderer="imagemonkey:templates/statistics.jinja2")
def statistics_page(request: Any) -> dict[str, Any]:
    """The same answer as ``GET /api/v1/statistics``, laid out: totals, charts with tables, labels needing work,
    and this ISO week's top list (people who opted in only)."""
    stats = statistics(request)
    week = week_of(profiles.today().isoformat())
    core_first = sorted(stats, key=lambda name: (name not in CORE_SECTIONS, CORE_SECTIONS.index(name)
                                                 if name in CORE_SECTIONS else 0, name))
    sections = [stats[name] for name in core_first if isinstance(stats[name], dict)]
    return {"title": "Statistics", "stats": stats,
            "charts": [chart for section in sections for chart in section.get("charts", [])],
            "work": [section["work"] for section in sections if section.get("work", {}).get("items")],
            "week": week, "top": profiles.top_list(request.dbsession, week)}
