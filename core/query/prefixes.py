"""Query prefixes that plugins add (``verified:dog``, ``annotated:dog``) through ``imagemonkey_query_prefixes``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement


@dataclass(frozen=True)
class QueryPrefix:
    """A ``name:label`` term of the query language.

    ``clause(label, image_id)`` gets a catalog label name and the SQL column of an image id and
    returns the condition for "this image matches ``name:label``". It should be an ``EXISTS`` on
    the plugin's own table that an index on ``(image_id, ...)`` answers, so that a query stays
    an index lookup per image.
    """

    name: str
    description: str
    clause: Callable[[str, Any], ColumnElement[bool]]


def query_prefixes(registry: Any) -> dict[str, QueryPrefix]:
    """Every enabled plugin's prefixes by name (collected once per app); two plugins claiming one name is an error."""
    cached = registry.get("query_prefixes")
    if cached is not None:
        return cached
    found: dict[str, QueryPrefix] = {}
    for batch in registry.pm.hook.imagemonkey_query_prefixes():
        for prefix in batch or []:
            if prefix.name in found:
                raise ValueError(f"two plugins define the query prefix {prefix.name!r}")
            found[prefix.name] = prefix
    registry["query_prefixes"] = found
    return found
