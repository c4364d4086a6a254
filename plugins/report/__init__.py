"""The report plugin: reports on images, trust-weighted auto-hide, screening of donations, a moderation queue."""
from __future__ import annotations

from pyramid.config import Configurator

from . import hooks, hookspecs, models  # noqa: F401  (models: so migrations see the tables)
from .settings import SETTINGS

__all__ = ["includeme"]


def includeme(config: Configurator) -> None:
    """Declare report's settings and hooks; register its hooks and API routes."""
    config.declare_settings(SETTINGS)
    config.add_hookspecs(hookspecs)
    config.add_hooks(hooks, name="report")
    config.add_api_route("report.reports", "/api/v1/images/{id}/reports")
    config.add_api_route("report.queue", "/api/v1/moderation/queue")
    config.add_api_route("report.decisions", "/api/v1/moderation/decisions")
    config.add_api_route("report.decision_revert", "/api/v1/moderation/decisions/{id}/revert")
    config.add_route("report.moderate_page", "/moderate")  # core's own /moderate, when it has one, is matched first
    config.add_static_view("report/static", "imagemonkey_report:static", cache_max_age=3600)
    config.scan(".views")
    config.scan(".pages_view")
