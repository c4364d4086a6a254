"""The datasets plugin: versioned, reproducible dataset releases (archives per format, dataset card,
Croissant, citation), their downloads, and takedowns that make new revisions."""
from __future__ import annotations

from typing import Any

from . import models  # noqa: F401  (registers the tables on the metadata for migrations)
from .settings import SETTINGS

__all__ = ["includeme", "SETTINGS"]


def includeme(config: Any) -> None:
    """Declare the settings; register the hooks, API routes, the /datasets page and its static files."""
    from . import hooks

    config.declare_settings(SETTINGS)
    config.add_hooks(hooks, name="datasets")
    api = config.add_api_route
    api("datasets.releases", "/api/v1/releases")
    api("datasets.latest", "/api/v1/releases/latest")
    api("datasets.release", "/api/v1/releases/{version}")
    api("datasets.formats", "/api/v1/releases/{version}/formats")
    api("datasets.file", "/api/v1/releases/{version}/files/{name}")
    config.add_route("datasets.page", "/datasets")
    config.add_static_view("datasets/static", "imagemonkey_datasets:static", cache_max_age=3600)
    config.scan(".views")
    config.scan(".download")
    config.scan(".page")
    config.include(".export_view")
