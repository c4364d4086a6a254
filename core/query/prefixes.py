"""Query prefixes that plugins add (``verified:dog``, ``annotated:dog``) through ``imagemonkey_query_prefixes``."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement

ARGUMENTS = ("label", "text")
#: prefixes core answers itself (``any:animal``: the label or anything that is one); no plugin may claim them
CORE_PREFIXES = ("any",)


@dataclass(frozen=True)
class QueryPrefix:
    """A ``name:label`` term of the query language.

    ``clause(label, image_id)`` gets a catalog label name and the SQL column of an image id and
    returns the condition for "this image matches ``name:label``". It should be an ``EXISTS`` on
    the plugin's own table that an index on ``(image_id, ...)`` answers, so that a query stays
    an index lookup per image.

    ``argument`` says what follows the colon: ``"label"`` (a catalog label; aliases and plurals
    arrive resolved to its name, an unknown one is a 400 ``unknown_label``) or ``"text"`` (any
    word or double-quoted string, passed to ``clause`` as written, e.g. ``caption:"red car"``).
    """

    name: str
    description: str
    clause: Callable[[str, Any], ColumnElement[bool]]
    argument: str = "label"

    def __post_init__(self) -> None:
        if self.argument not in ARGUMENTS:
            raise ValueError(f"query prefix {self.name!r}: argument must be 'label' or 'text', not {self.argument!r}")


def query_prefixes(registry: Any) -> dict[str, QueryPrefix]:
    """Every enabled plugin's prefixes by name (collected once per app); two plugins claiming one name is an error."""
    cached = registry.get("query_prefixes")
    if cached is not None:
        return cached
    found: dict[str, QueryPrefix] = {}
    for batch in registry.pm.hook.imagemonkey_query_prefixes(registry=registry):
        for prefix in batch or []:
            if prefix.name in found or prefix.name in CORE_PREFIXES:
                raise ValueError(f"two plugins define the query prefix {prefix.name!r}")
            found[prefix.name] = prefix
    registry["query_prefixes"] = found
    return found


def property_clause(registry: Any) -> Callable[[str, str, str, Any], ColumnElement[bool] | None]:
    """``label[property=value]`` answered through the ``imagemonkey_query_property_clause`` hook (None: no plugin)."""
    hook = registry.pm.hook.imagemonkey_query_property_clause

    def answer(label: str, property: str, value: str, image_id: Any) -> ColumnElement[bool] | None:
        return hook(label=label, property=property, value=value, image_id=image_id)

    return answer
