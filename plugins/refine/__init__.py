"""The refine plugin: properties of labelled objects (a dog's colour), answered by several people and settled."""
from __future__ import annotations

from pyramid.config import Configurator

from imagemonkey.plugin import Setting, as_float

from . import hooks, models  # noqa: F401  (models puts the plugin's tables on the metadata)

__all__ = ["includeme", "SETTINGS"]

SETTINGS = [
    Setting("refine.margin", 3.0, as_float(min=1.0, max=50.0),
            "Weighted answers the leading value must be ahead of the runner-up by to settle."),
    Setting("refine.examples_ttl", 60.0, as_float(min=0.0, max=3600.0),
            "Seconds a process keeps a property's example pictures per value (0: read them for every task)."),
]


def includeme(config: Configurator) -> None:
    """Declare refine's settings, register its hooks, its routes, views, page and static files."""
    config.declare_settings(SETTINGS)
    config.add_hooks(hooks, name="refine")
    config.add_api_route("refine.properties", "/api/v1/image-labels/{id}/properties")
    config.add_api_route("refine.shape_properties", "/api/v1/shapes/{id}/properties")
    config.add_route("refine.page", "/refine")
    config.add_static_view("refine/static", "imagemonkey_refine:static", cache_max_age=3600)
    config.scan(".views")
