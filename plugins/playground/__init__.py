"""The playground plugin: a multi-label classifier trained on the dataset's verified labels, served and improved.

The machine-learning part (:mod:`.backbone`, :mod:`.head`, :mod:`.training`, :mod:`.metrics`, :mod:`.predictor`)
does not depend on the web app; the registry, the API, the page and the jobs build on ``imagemonkey.plugin``.
Those modules import torch, so the app's modules import them only inside the functions that use them: building the
app (``imagemonkey serve``'s start-up) does not load torch (tests/plugins/playground/test_playground_startup.py).
"""
from __future__ import annotations

from typing import Any

from . import duplicate_models, models  # noqa: F401  (registers the tables on the metadata for migrations)


def includeme(config: Any) -> None:
    """Routes, views, the page's static files, hooks, and this process's model holder and rate limiter."""
    from imagemonkey.plugin import limiter_from_setting

    from . import hooks, hookspecs, threads
    from .index_holder import IndexHolder
    from .serving import ModelHolder
    from .settings import SETTINGS, setting

    config.declare_settings(SETTINGS)
    threads.configure(setting(config.registry, "playground.threads"))  # applied when torch loads (first use)
    config.registry["playground.holder"] = ModelHolder(setting(config.registry, "playground.reload_seconds"))
    config.registry["playground.similar"] = IndexHolder(setting(config.registry, "playground.reload_seconds"))
    config.registry["playground.limiter"] = limiter_from_setting(setting(config.registry, "playground.rate"),
                                                                  config.registry, "playground.predictions")
    api = config.add_api_route
    api("playground.models", "/api/v1/playground/models")
    api("playground.activate", "/api/v1/playground/models/{id}/activate")
    api("playground.predictions", "/api/v1/playground/predictions")
    api("playground.similar", "/api/v1/playground/similar")
    api("playground.image_similar", "/api/v1/images/{id}/similar")
    api("playground.duplicates", "/api/v1/playground/duplicates")
    api("playground.duplicate_decision", "/api/v1/playground/duplicates/{id}/decision")
    config.add_route("playground.page", "/playground")
    config.add_static_view("playground/static", "imagemonkey_playground:static", cache_max_age=3600)
    config.add_hookspecs(hookspecs)
    config.add_hooks(hooks, name="playground")
    config.scan(".views")
    config.scan(".similar_views")
    config.scan(".duplicate_views")
