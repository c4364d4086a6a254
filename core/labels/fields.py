"""The fields of a catalog entry beyond its words: ``is_a``, ``part_of``, ``scene`` and ``properties``.

Checked one entry at a time here; the links between entries are checked in :mod:`.graph`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9 \-]*[a-z0-9]$|^[a-z0-9]$")
MAX_PROPERTIES = 8
MAX_VALUES = 32


class CatalogError(ValueError):
    """A catalog file is malformed; the message names the file and the key."""


def _names(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogError(f"{where}: key '{key}' must be a list of label names")
    if len(set(value)) != len(value):
        raise CatalogError(f"{where}: key '{key}' names a label twice")
    return tuple(v.strip() for v in value)


def relations(entry: dict[str, Any], where: str, parent: str | None) -> dict[str, Any]:
    """``is_a``, ``part_of``, ``scene`` and ``properties`` of an entry (a sublabel is ``part_of`` its parent)."""
    scene = entry.get("scene", False)
    if not isinstance(scene, bool):
        raise CatalogError(f"{where}: key 'scene' must be true or false")
    part_of = _names(entry, "part_of", where)
    if parent and "part_of" in entry:
        raise CatalogError(f"{where}: key 'part_of' is not allowed on a sublabel (it is part of {parent!r})")
    if scene and (parent or part_of or entry.get("sublabels")):
        raise CatalogError(f"{where}: key 'scene': a scene label is the whole picture, so it has no sublabels "
                           "and is neither a sublabel nor part of another label")
    return {"is_a": _names(entry, "is_a", where), "part_of": (parent,) if parent else part_of, "scene": scene,
            "properties": _properties(entry.get("properties", {}), where)}


def _properties(raw: Any, where: str) -> Mapping[str, tuple[str, ...]]:
    """``{"color": ["black", ...]}`` checked: lowercase names, 2 to MAX_VALUES distinct lowercase values each."""
    if not isinstance(raw, dict) or len(raw) > MAX_PROPERTIES:
        raise CatalogError(f"{where}: key 'properties' must be an object of at most {MAX_PROPERTIES} properties, "
                           'each a list of allowed values: {"color": ["black", "brown"]}')
    found: dict[str, tuple[str, ...]] = {}
    for key, values in raw.items():
        if not NAME_RE.match(key):
            raise CatalogError(f"{where}: key 'properties' name {key!r} must be lowercase letters, digits, spaces "
                               "or hyphens")
        if (not isinstance(values, list) or not 2 <= len(values) <= MAX_VALUES
                or not all(isinstance(v, str) and NAME_RE.match(v) for v in values)):
            raise CatalogError(f"{where}: key 'properties' value of {key!r} must be a list of 2 to {MAX_VALUES} "
                               "lowercase values")
        if len(set(values)) != len(values):
            raise CatalogError(f"{where}: key 'properties' value of {key!r} lists a value twice")
        found[key] = tuple(values)
    return MappingProxyType(found)
