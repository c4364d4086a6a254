"""The WSGI application factory."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pyramid.config import Configurator
from pyramid.router import Router

from . import core_hooks, ratelimit
from .auth import dummy_password_hash
from .declared_settings import check_undeclared, declare
from .identity_cache import IdentityCache
from .images.budget import PixelBudget
from .jobs.queue import setup_jobs
from .labels.catalog import load_catalog
from .plugins import collect_hook, load_plugins
from .request import Request
from .settings import CORE_SETTINGS, normalize_settings
from .shared_state import shared_state_from_settings

log = logging.getLogger(__name__)


def add_routes(config: Configurator) -> None:
    """Core's routes (API routes answer 405 in JSON for other methods)."""
    api = config.add_api_route
    api("api.info", "/api/v1/info")
    api("api.openapi", "/api/v1/openapi.json")
    api("api.clients", "/api/v1/clients")
    api("api.sessions", "/api/v1/sessions")
    api("api.session_current", "/api/v1/sessions/current")
    api("api.me", "/api/v1/me")
    api("api.accounts", "/api/v1/accounts")
    api("api.me_tokens", "/api/v1/me/tokens")
    api("api.me_token", "/api/v1/me/tokens/{id}")
    api("api.me_password", "/api/v1/me/password")
    api("api.account_block", "/api/v1/accounts/{name}/block")
    api("api.account_unblock", "/api/v1/accounts/{name}/unblock")
    api("api.me_hunt", "/api/v1/me/hunt")
    api("api.person", "/api/v1/people/{name}")
    api("api.labels", "/api/v1/labels")
    api("api.label_suggestions", "/api/v1/label-suggestions")
    api("api.label_suggestion_promote", "/api/v1/label-suggestions/{name}/promote")
    api("api.images", "/api/v1/images")
    api("api.images_count", "/api/v1/images/count")  # before api.image, whose {id} would take "count"
    api("api.image", "/api/v1/images/{id}")
    api("api.image_file", "/api/v1/images/{id}/file")
    api("api.image_labels", "/api/v1/images/{id}/labels")
    api("api.image_status", "/api/v1/images/{id}/status")
    api("api.image_captions", "/api/v1/images/{id}/captions")
    api("api.caption_votes", "/api/v1/captions/{id}/votes")
    api("api.caption_lock", "/api/v1/captions/{id}/lock")
    api("api.image_label", "/api/v1/image-labels/{id}")
    api("api.tasks_next", "/api/v1/tasks/next")
    api("api.statistics", "/api/v1/statistics")
    api("api.extension", "/api/v1/extension")
    api("api.contributions", "/api/v1/contributors/{id}/contributions")
    api("api.contributor_summary", "/api/v1/contributors/{id}/summary")
    api("api.contributor_revert", "/api/v1/contributors/{id}/revert")
    api("api.jobs", "/api/v1/jobs")
    api("api.job", "/api/v1/jobs/{id}")
    config.add_route("home", "/")
    config.add_route("browse", "/browse")
    config.add_route("labels_page", "/labels")
    config.add_route("label_page", "/labels/{name:.+}")
    config.add_route("statistics", "/statistics")
    config.add_route("login", "/login")
    config.add_route("signup", "/signup")
    config.add_route("moderate", "/moderate")
    config.add_route("me", "/me")
    config.add_route("person_page", "/people/{name}")
    config.add_route("donate", "/donate")
    config.add_route("hunt", "/hunt")
    config.add_route("image_page", "/images/{id}")
    config.add_static_view("static", "imagemonkey:static", cache_max_age=3600)


def make_config(settings: dict[str, Any]) -> Configurator:
    """A configured (not yet committed) Configurator with core and the enabled plugins."""
    settings = dict(normalize_settings(settings))
    Path(settings["imagemonkey.data_dir"]).mkdir(parents=True, exist_ok=True)
    config = Configurator(settings=settings, request_factory=Request)
    declare(config.registry, CORE_SETTINGS)
    config.registry["shared_state"] = shared_state_from_settings(settings)
    config.include("pyramid_jinja2")
    config.add_jinja2_renderer(".jinja2")
    config.add_jinja2_search_path("imagemonkey:templates", name=".jinja2")
    config.include(".plugins")
    config.include(".db")
    config.include(".tweens")
    config.include(".views")
    from .storage import blob_store_from_settings
    config.registry["blobstore"] = blob_store_from_settings(settings, Path(settings["imagemonkey.data_dir"]))
    config.registry["pixel_budget"] = PixelBudget(int(settings["imagemonkey.decode_pixel_budget"]),
                                                  float(settings["imagemonkey.decode_wait_seconds"]))
    config.registry["catalog"] = load_catalog(settings["imagemonkey.labels_dir"])
    config.add_subscriber("imagemonkey.services.promotion.follow_promotions_on_request",  # labels other processes
                          "pyramid.events.NewRequest")                                   # promoted
    dummy_password_hash()  # computed once now, so that no log-in pays for it (login timing must not vary)
    config.registry["identity_cache"] = IdentityCache(float(settings["imagemonkey.token_cache_seconds"]),
                                                   shared=config.registry["shared_state"])
    # one process serves a SQLite site, so its own revocations can keep its cache of log-in tokens right
    config.registry["cache_account_tokens"] = config.registry["db_engine"].dialect.name == "sqlite"
    config.registry["clients_limiter"] = ratelimit.limiter_from_setting(settings["imagemonkey.rate_limit.clients"],
                                                                        config.registry, "clients")
    config.registry.pm.register(core_hooks, name="core")
    add_routes(config)
    config.scan(".views")
    config.registry["enabled_plugins"] = load_plugins(config, settings["imagemonkey.plugins"])
    check_undeclared(config.registry, settings["imagemonkey.plugins"])
    return config


def check_settings(settings: dict[str, Any]) -> None:
    """Raise the error that building the app would raise over its settings (core's and the enabled plugins'),
    without touching the database: commands call it before migrating."""
    config = make_config(dict(settings))
    config.registry["db_engine"].dispose()


def make_app(settings: dict[str, Any]) -> Router:
    """Build the app: plugins loaded, hooks checked (a misspelled hook name fails here)."""
    config = make_config(settings)
    pm = config.registry.pm
    pm.check_pending()
    config.registry["task_kinds"] = sorted(collect_hook(config.registry, "imagemonkey_task_kinds", str, "task kind"))
    setup_jobs(config.registry)
    app = config.make_wsgi_app()
    sync_labels_at_startup(app.registry)
    pm.hook.imagemonkey_startup(registry=app.registry)
    return app


def sync_labels_at_startup(registry: Any) -> None:
    """Add the promoted labels to the catalog and turn suggestions it now knows into labels; warn (not fail) on an
    unmigrated database."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from .scripting import app_request
    from .services.promotion import reload_catalog
    from .services.suggestions import sync_suggestions

    try:
        with app_request(registry) as request:
            reload_catalog(registry, request.dbsession)
            result = sync_suggestions(request)
    except (OperationalError, ProgrammingError):
        log.warning("the database is not migrated yet: run `imagemonkey db upgrade`")
        return
    if result["suggestions"]:
        log.info("labels sync: %(suggestions)d suggestions became %(labels)d image labels", result)
