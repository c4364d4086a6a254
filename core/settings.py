"""Core's settings: every ``imagemonkey.*`` setting is declared here with its default and coercer."""
from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from .declared_settings import Setting, as_bool, as_choice, as_float, as_int, as_str
from .declared_settings import as_list as list_coercer
from .labels.catalog import DEFAULT_CATALOG_DIR
from .ratelimit import parse_rate
from .shared_state import check_shared_state
from .urls import check_public_url

#: The one default data folder (relative to the working directory; an ini's is next to the ini file).
DEFAULT_DATA_DIR = "var"


def as_rate() -> Any:
    """A coercer for ``N/period`` rates (``off`` switches the limit off); keeps the text."""
    def coerce(raw: Any) -> str:
        parse_rate(str(raw))
        return str(raw).strip()
    return coerce


def as_job_workers() -> Any:
    """The jobs package's own check of ``imagemonkey.jobs.workers`` (0..64 threads)."""
    def coerce(raw: Any) -> int:
        from .jobs.queue import read_workers

        return read_workers({"imagemonkey.jobs.workers": raw})
    return coerce


def as_keep_days() -> Any:
    """The jobs package's own check of ``imagemonkey.jobs.keep_days`` (a non-negative number)."""
    def coerce(raw: Any) -> float:
        from .jobs.prune import read_keep_days

        return read_keep_days({"imagemonkey.jobs.keep_days": raw})
    return coerce


CORE_SETTINGS = [
    Setting("imagemonkey.name", "ImageMonkey", as_str(), "The site's name in pages and the API."),
    Setting("imagemonkey.public_url", "", check_public_url,
            "The site's public address for absolute URLs (empty: answer relative URLs; never the Host header)."),
    Setting("imagemonkey.plugins", [], list_coercer(), "Enabled plugins, in load order."),
    Setting("imagemonkey.moderation", "pre", as_choice("pre", "post"),
            "pre: donations wait for a moderator; post: they are public at once."),
    Setting("imagemonkey.max_upload_bytes", 20 * 1024 * 1024, as_int(min=1), "Largest accepted upload."),
    Setting("imagemonkey.max_pixels", 40_000_000, as_int(min=1), "Largest accepted image, in pixels."),
    Setting("imagemonkey.decode_pixel_budget", 48_000_000, as_int(min=1),
            "Pixels all uploads together may decode at once in one process."),
    Setting("imagemonkey.decode_wait_seconds", 20.0, as_float(min=0),
            "How long an upload waits for the pixel budget before a 503 with Retry-After."),
    Setting("imagemonkey.near_duplicate_distance", 6, as_int(min=0, max=64),
            "Hamming distance of perceptual hashes under which images are near duplicates."),
    Setting("imagemonkey.rate_limit.clients", "30/hour", as_rate(), "New anonymous clients per address."),
    Setting("imagemonkey.rate_limit.writes", "1200/minute", as_rate(), "Writes per token."),
    Setting("imagemonkey.rate_limit.requests", "6000/minute", as_rate(), "Requests per address."),
    Setting("imagemonkey.trust_forwarded_for", False, as_bool(), "Read the client address from X-Forwarded-For."),
    Setting("imagemonkey.cors_origins", ["chrome-extension://*", "moz-extension://*"], list_coercer(),
            "Origins (glob patterns) allowed to call the API from a browser."),
    Setting("imagemonkey.token_cache_seconds", 10.0, as_float(min=0), "How long a token's identity is cached."),
    Setting("imagemonkey.data_dir", DEFAULT_DATA_DIR, as_str(), "The data folder (SQLite, image files, queues)."),
    Setting("imagemonkey.storage", "", as_str(), "Where image files go: file://DIR or s3://bucket/prefix."),
    Setting("imagemonkey.labels_dir", str(DEFAULT_CATALOG_DIR), as_str(), "The label catalog's folder."),
    Setting("imagemonkey.jobs", "", as_str(), "The job queue: empty (SQLite in the data dir), redis://..., immediate."),
    Setting("imagemonkey.shared_state", "", check_shared_state,
            "Where per-site state (rate limits, identity cache invalidation) lives: empty (the Redis of "
            "imagemonkey.jobs if any, else each process), local, or redis://host:port/db."),
    Setting("imagemonkey.jobs.workers", 1, as_job_workers(), "Job threads inside imagemonkey serve (0: none)."),
    Setting("imagemonkey.jobs.queue", "imagemonkey", as_str(), "The queue's name (several sites on one Redis)."),
    Setting("imagemonkey.jobs.keep_days", 30.0, as_keep_days(), "Days a finished job stays readable (0: forever)."),
    Setting("imagemonkey.strict_writes", False, as_bool(),
            "Raise at the end of a request whose Core write was never marked as a change (tests set it)."),
]

DEFAULTS: dict[str, str] = {
    "imagemonkey.name": "ImageMonkey",
    "imagemonkey.public_url": "",
    "imagemonkey.plugins": "",
    "imagemonkey.moderation": "pre",
    "imagemonkey.max_upload_bytes": str(20 * 1024 * 1024),
    "imagemonkey.max_pixels": str(40_000_000),
    "imagemonkey.decode_pixel_budget": str(48_000_000),
    "imagemonkey.decode_wait_seconds": "20",
    "imagemonkey.near_duplicate_distance": "6",
    "imagemonkey.rate_limit.clients": "30/hour",
    "imagemonkey.rate_limit.writes": "1200/minute",
    "imagemonkey.rate_limit.requests": "6000/minute",
    "imagemonkey.trust_forwarded_for": "false",
    "imagemonkey.cors_origins": "chrome-extension://* moz-extension://*",
    "imagemonkey.token_cache_seconds": "10",
    "sqlalchemy.pool_size": "10",
    "sqlalchemy.max_overflow": "5",
}


def as_list(value: Any) -> list[str]:
    """Split a whitespace- or comma-separated setting into a list."""
    return list_coercer()(value)


def normalize_settings(settings: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Fill in defaults: the data dir, the SQLite URL and file storage under it, the catalog."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    data_dir = Path(settings.setdefault("imagemonkey.data_dir", DEFAULT_DATA_DIR)).resolve()
    settings["imagemonkey.data_dir"] = str(data_dir)
    settings.setdefault("sqlalchemy.url", f"sqlite:///{data_dir / 'imagemonkey.sqlite'}")
    settings.setdefault("imagemonkey.storage", f"file://{data_dir / 'images'}")
    settings.setdefault("imagemonkey.labels_dir", str(DEFAULT_CATALOG_DIR))
    if settings["imagemonkey.moderation"] not in ("pre", "post"):
        raise ValueError("imagemonkey.moderation must be 'pre' or 'post'")
    settings["imagemonkey.plugins"] = as_list(settings["imagemonkey.plugins"])
    settings["imagemonkey.public_url"] = check_public_url(settings["imagemonkey.public_url"])
    return settings
