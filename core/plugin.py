"""The stable plugin API (issue 10 contract) — INTERIM SUBSET on the report branch.

The platform branch builds the real module; this file only re-exports what the report plugin uses
so it can be written against the contract before the platform lands. On merge, take the platform's
version of this file.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .auth import require_contributor, require_role
from .db import after_commit
from .db.functions import day_of
from .db.meta import Base
from .db.migrate import run_env as run_migrations_env
from .db.prepared import PreparedWrite
from .db.transactions import mark_changed
from .errors import ApiError, bad_request, conflict, forbidden, invalid, not_found, unauthenticated
from .hookspecs import hookimpl, hookspec
from .jobs import JobContext, JobSpec, enqueue_job
from .models import Contributor, Image, ImageLabel
from .models.types import UTCDateTime, isoformat, utcnow
from .openapi import obj, op
from .scripting import app_request
from .services.contributions import record as record_contribution
from .services.pagination import encode_cursor, read_cursor, read_limit
from .services.serialize import image_json, images_json
from .services.status import change_status
from .services.visibility import can_see, get_visible_image, parse_id, visible_clause
from .views import json_body

__all__ = ["ApiError", "Base", "Contributor", "Image", "ImageLabel", "JobContext", "JobSpec", "PreparedWrite",
           "Setting", "SettingError", "UTCDateTime", "after_commit", "app_request", "as_bool", "as_float", "as_int",
           "as_list", "bad_request", "can_see", "change_status", "conflict", "day_of", "declare_settings",
           "encode_cursor", "enqueue_job", "forbidden", "get_setting", "get_visible_image", "hookimpl", "hookspec",
           "image_json", "images_json", "invalid", "isoformat", "json_body", "mark_changed", "not_found", "obj",
           "op", "parse_id", "read_cursor", "read_limit", "record_contribution", "require_contributor",
           "require_role", "run_migrations_env", "unauthenticated", "utcnow", "visible_clause", "write"]


class SettingError(ValueError):
    """A declared setting has a bad value."""


@dataclass(frozen=True)
class Setting:
    """A declared setting: name, default, coercer and a one-line description."""

    name: str
    default: Any
    coerce: Callable[[Any], Any]
    doc: str = ""


def as_float(min: float | None = None, max: float | None = None) -> Callable[[Any], float]:  # noqa: A002
    """A float within bounds."""
    def coerce(raw: Any) -> float:
        value = float(raw)
        if (min is not None and value < min) or (max is not None and value > max):
            raise ValueError(f"must be between {min} and {max}")
        return value
    return coerce


def as_int(min: int | None = None, max: int | None = None) -> Callable[[Any], int]:  # noqa: A002
    """An int within bounds."""
    def coerce(raw: Any) -> int:
        value = int(raw)
        if (min is not None and value < min) or (max is not None and value > max):
            raise ValueError(f"must be between {min} and {max}")
        return value
    return coerce


def as_bool() -> Callable[[Any], bool]:
    """true/false, yes/no, on/off, 1/0."""
    def coerce(raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "yes", "on", "1"):
            return True
        if text in ("false", "no", "off", "0"):
            return False
        raise ValueError("must be true or false")
    return coerce


def as_list() -> Callable[[Any], list[str]]:
    """Words separated by spaces or commas."""
    def coerce(raw: Any) -> list[str]:
        if isinstance(raw, list | tuple):
            return [str(v) for v in raw]
        return [part for part in str(raw).replace(",", " ").split() if part]
    return coerce


def as_choice(*choices: str) -> Callable[[Any], str]:
    """One of ``choices``."""
    def coerce(raw: Any) -> str:
        if str(raw) not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(raw)
    return coerce


def declare_settings(config: Any, settings: Iterable[Setting]) -> None:
    """Directive ``config.declare_settings``: validate each setting now and keep its typed value."""
    values = config.registry.setdefault("declared_settings", {})
    for setting in settings:
        raw = config.registry.settings.get(setting.name)
        try:
            values[setting.name] = setting.default if raw is None else setting.coerce(raw)
        except (TypeError, ValueError) as exc:
            raise SettingError(f"{setting.name}: {exc}") from exc


def get_setting(request_or_registry: Any, name: str) -> Any:
    """The typed value of a declared setting."""
    registry = getattr(request_or_registry, "registry", request_or_registry)
    return registry["declared_settings"][name]


def write(request: Any, statement: Any) -> Any:
    """Execute a Core DML statement on the request's session and mark the transaction changed."""
    result = request.dbsession.execute(statement)
    mark_changed(request.dbsession)
    return result
