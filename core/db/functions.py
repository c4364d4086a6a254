"""SQL helpers that read the same on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

from sqlalchemy import String, func


def day_of(column: Any) -> Any:
    """The ``YYYY-MM-DD`` (UTC) of a timestamp column, for per-day series."""
    return func.substr(func.cast(column, String), 1, 10)
