"""The stable plugin API: the one core module a plugin imports (``from imagemonkey.plugin import ...``).

Everything a plugin needs is re-exported here with the same behaviour as inside core;
every other module of ``imagemonkey`` is internal and may change without notice. An
import-linter contract keeps ``plugins/`` to this module. See ``docs/plugins.md``.
"""
from __future__ import annotations

from typing import Any

from .auth import may_act_on, may_undo, require_contributor, require_role
from .db import after_commit
from .db.functions import day_of
from .db.meta import Base
from .db.migrate import run_env as run_migrations_env
from .db.prepared import PreparedWrite
from .db.transactions import write
from .declared_settings import (
    Setting,
    SettingError,
    as_bool,
    as_choice,
    as_float,
    as_int,
    as_list,
    as_str,
    get_setting,
)
from .errors import ApiError, bad_request, conflict, forbidden, invalid, not_found, unauthenticated
from .export import ExportContext, Exporter, export_attributes, export_shape_attributes
from .hookspecs import hookimpl, hookspec
from .images.process import process_upload
from .images.site import process_site_upload, reserve_pixels
from .inputs import MAX_INT32, ascii_int, bounded_int, check_line, check_text, multipart_form
from .jobs import JobContext, JobSpec, enqueue_job
from .labels.catalog import Label
from .models import Contributor, Image, ImageLabel
from .models.types import UTCDateTime, isoformat, utcnow
from .openapi import ID, QUERY_SCHEMAS, TEXT, obj, op, parameter
from .plugin_types import CliCommand
from .plugins import PluginError
from .query import QueryField, QueryPrefix, has_label
from .ratelimit import check as check_rate
from .ratelimit import client_address, limiter_from_setting
from .scripting import app_request
from .services.browse_orders import BrowseOrder
from .services.contributions import mark_reverted as mark_contributions_reverted
from .services.contributions import record as record_contribution
from .services.counters import count_daily
from .services.counters import shard_of as counter_shard
from .services.labeling import add_labels, insert_once
from .services.pagination import encode_cursor, read_cursor, read_limit
from .services.recount import StatCounter, daily_counter, sharded_counter, table_counter
from .services.serialize import image_json, image_labels_json, images_json
from .services.statistics import chart, daily, label_images, last_days
from .services.status import change_status
from .services.task_filter import task_image_clause, task_preference_clause
from .services.visibility import can_see, get_visible_image, parse_id, visible_clause
from .urls import image_page_url, public_route_url
from .views import json_body
from .views.slots import page_slots, render_fragment


def query_clause(request_or_registry: Any, text: str) -> Any:
    """The SQL condition on ``Image`` for query ``text`` (``docs/query.md``); a mistake is a 400 ``query_syntax``
    ``ApiError`` carrying the ``position`` of the mistake."""
    from .query import QueryError, compiler_for, parse_query, query_error

    registry = getattr(request_or_registry, "registry", request_or_registry)
    try:
        return compiler_for(registry).clause(parse_query(text))
    except QueryError as error:
        raise query_error(error) from None


def store_file(request_or_registry: Any, path: Any, content_type: str) -> str:
    """Store the file at ``path`` in the blob store, streamed (never read whole into memory); returns its key."""
    from pathlib import Path

    store = getattr(request_or_registry, "registry", request_or_registry)["blobstore"]
    put_file = getattr(store, "put_file", None)  # both of core's stores have it; another store may not
    return put_file(path, content_type) if put_file is not None else store.put(Path(path).read_bytes(), content_type)


def fetch_file(request_or_registry: Any, key: str, path: Any) -> None:
    """Write blob ``key`` into the file at ``path``, streamed (a download from object storage, a copy on disk);
    ``KeyError`` when it is not stored. Write to a temporary name and rename it: a failure may leave part of it."""
    from pathlib import Path

    store = getattr(request_or_registry, "registry", request_or_registry)["blobstore"]
    get_file = getattr(store, "get_file", None)  # both of core's stores have it; another store may not
    if get_file is not None:
        get_file(key, path)
    else:
        Path(path).write_bytes(store.get(key))


def signed_blob_url(request_or_registry: Any, key: str, *, seconds: int, filename: str | None = None) -> str | None:
    """A time-limited URL a client can download blob ``key`` from (object storage), or None for a store on disk."""
    registry = getattr(request_or_registry, "registry", request_or_registry)
    sign = getattr(registry["blobstore"], "signed_url", None)
    return sign(key, seconds=seconds, filename=filename) if sign is not None else None


def resolve_label(request_or_registry: Any, name: str) -> str | None:
    """The catalog's full name for label ``name`` (or one of its aliases), or None when it is not in the catalog."""
    registry = getattr(request_or_registry, "registry", request_or_registry)
    return registry["catalog"].resolve(name)


def catalog_label(request_or_registry: Any, name: str) -> Label | None:
    """The catalog entry for label ``name`` (a full name or an alias, any case), or None when it is not in the
    catalog: its ``is_a``, ``part_of``, ``scene`` and ``properties`` among the rest."""
    registry = getattr(request_or_registry, "registry", request_or_registry)
    catalog = registry["catalog"]
    found = catalog.resolve(name)
    return catalog.by_name[found] if found is not None else None


def plugin_state(request_or_registry: Any, name: str) -> dict[str, Any]:
    """Plugin ``name``'s own per-app state: one dict per app (so per process), made empty on first use.

    The place for what a plugin keeps between requests in memory (a cache, a client it built in ``includeme`` or
    ``imagemonkey_startup``) instead of module globals, which two apps in one process (tests) would share. Nothing
    in it reaches another process: keep what several processes must agree on in the database. ``name`` must be an
    enabled plugin (PluginError otherwise, which catches a misspelled name).
    """
    registry = getattr(request_or_registry, "registry", request_or_registry)
    if name not in registry.settings["imagemonkey.plugins"]:
        raise PluginError(f"plugin_state: {name!r} is not an enabled plugin")
    return registry.setdefault("imagemonkey.plugin_state", {}).setdefault(name, {})


def outline_shapes(request: Any, image_label_ids: Any = (), shape_ids: Any = ()) -> list[dict[str, Any]]:
    """The outlined objects enabled plugins keep (``imagemonkey_outline_shapes``; annotate's shapes): the current
    shapes of these image labels' outlines and these shapes where they are current, as
    ``[{"id": int, "image_label_id": int, "shape": {...}}]`` (empty without a plugin that keeps outlines)."""
    ids, shapes = [int(i) for i in image_label_ids], [int(i) for i in shape_ids]
    if not ids and not shapes:
        return []
    answers = request.registry.pm.hook.imagemonkey_outline_shapes(request=request, image_label_ids=ids,
                                                                   shape_ids=shapes)
    return [item for answer in reversed(answers) for item in (answer or [])]


def export_formats(request_or_registry: Any) -> dict[str, Exporter]:
    """Every exporter the enabled plugins (and core's ``json``) offer, by format name (``imagemonkey_exporters``)."""
    from .export import exporters

    return exporters(getattr(request_or_registry, "registry", request_or_registry))


__all__ = [
    # hooks
    "hookimpl", "hookspec", "PluginError",
    # data
    "Base", "UTCDateTime", "utcnow", "isoformat", "day_of", "Image", "ImageLabel", "Label", "Contributor",
    "resolve_label", "catalog_label", "query_clause", "store_file", "fetch_file", "signed_blob_url",
    "outline_shapes", "run_migrations_env",
    # errors
    "ApiError", "bad_request", "invalid", "not_found", "forbidden", "conflict", "unauthenticated",
    # requests
    "json_body", "require_contributor", "require_role", "parse_id", "ascii_int", "bounded_int", "check_text",
    "check_line", "multipart_form", "MAX_INT32", "public_route_url", "image_page_url",
    # the role hierarchy
    "may_act_on", "may_undo",
    # visibility
    "can_see", "visible_clause", "get_visible_image",
    # contribution log, serializers, pagination, status, tasks
    "record_contribution", "mark_contributions_reverted",
    "image_json", "images_json", "image_labels_json", "encode_cursor", "read_cursor",
    "read_limit", "change_status", "task_image_clause", "task_preference_clause",
    # writes and transactions
    "write", "PreparedWrite", "after_commit", "app_request",
    # jobs
    "JobSpec", "JobContext", "enqueue_job",
    # settings
    "Setting", "SettingError", "as_int", "as_float", "as_bool", "as_list", "as_choice", "as_str", "get_setting",
    # pages, exporters, OpenAPI, CLI
    "render_fragment", "page_slots", "Exporter", "ExportContext", "export_attributes", "export_shape_attributes",
    "op", "obj", "parameter", "ID",
    "TEXT", "CliCommand", "export_formats", "QUERY_SCHEMAS",
    # a plugin's per-app state
    "plugin_state",
    # labelling, upload checks, rate limiting (the playground)
    "add_labels", "insert_once", "process_upload", "process_site_upload", "reserve_pixels",
    "check_rate", "client_address",
    "limiter_from_setting",
    # the query language (plugins' prefixes) and the statistics page (counters, charts)
    "QueryPrefix", "QueryField", "has_label", "BrowseOrder",
    "count_daily", "daily", "last_days", "label_images", "chart",
    # counters checked against their tables (imagemonkey stats verify)
    "StatCounter", "table_counter", "daily_counter", "sharded_counter", "counter_shard",
]
