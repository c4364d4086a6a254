"""Settings with their defaults; every ``imagemonkey.*`` setting lives here."""
from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from .labels.catalog import DEFAULT_CATALOG_DIR

DEFAULTS: dict[str, str] = {
    "imagemonkey.name": "ImageMonkey",
    "imagemonkey.plugins": "",
    "imagemonkey.moderation": "pre",
    "imagemonkey.max_upload_bytes": str(20 * 1024 * 1024),
    "imagemonkey.max_pixels": str(40_000_000),
    "imagemonkey.near_duplicate_distance": "6",
    "imagemonkey.rate_limit.clients": "30/hour",
    "imagemonkey.rate_limit.writes": "1200/minute",
    "imagemonkey.rate_limit.requests": "6000/minute",
    "imagemonkey.trust_forwarded_for": "false",
    "imagemonkey.cors_origins": "chrome-extension://* moz-extension://*",
    "imagemonkey.token_cache_seconds": "10",
    "imagemonkey.jobs": "",
    "imagemonkey.jobs.workers": "1",
    "imagemonkey.jobs.queue": "imagemonkey",
    "imagemonkey.jobs.keep_days": "30",
    "sqlalchemy.pool_size": "10",
    "sqlalchemy.max_overflow": "5",
}


def as_list(value: Any) -> list[str]:
    """Split a whitespace- or comma-separated setting into a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [part for part in str(value).replace(",", " ").split() if part]


def as_bool(value: Any) -> bool:
    """Read a boolean setting."""
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def normalize_settings(settings: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Fill in defaults: the data dir, the SQLite URL and file storage under it, the catalog."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    data_dir = Path(settings.setdefault("imagemonkey.data_dir", "var")).resolve()
    settings["imagemonkey.data_dir"] = str(data_dir)
    settings.setdefault("sqlalchemy.url", f"sqlite:///{data_dir / 'imagemonkey.sqlite'}")
    settings.setdefault("imagemonkey.storage", f"file://{data_dir / 'images'}")
    settings.setdefault("imagemonkey.labels_dir", str(DEFAULT_CATALOG_DIR))
    if settings["imagemonkey.moderation"] not in ("pre", "post"):
        raise ValueError("imagemonkey.moderation must be 'pre' or 'post'")
    settings["imagemonkey.plugins"] = as_list(settings["imagemonkey.plugins"])
    return settings

