"""Load and validate the label catalog: a directory of JSON files, one topic each.

Each file is ``{"labels": [{"name", "description", "plural", "article", "aliases", "is_a", "part_of", "scene",
"properties", "sublabels": [...]}]}``; a sublabel has the same fields but no sublabels (nor ``part_of`` or ``scene``:
it is ``part_of`` its parent), and its full name is ``parent/sub``. The links are checked in :mod:`.graph`. ``article``
(optional) is what goes before the name in a sentence: ``""`` for mass nouns ("Is there grass…",
"Outline the sky."), ``"a pair of"`` for scissors; without it, "a" or "an" by the first letter.
docs/catalog.md describes the format for catalog authors.
Errors name the file and the key, so a contributor's pull request can be checked in CI
with ``imagemonkey labels check DIR``.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .fields import NAME_RE, CatalogError, relations
from .graph import Graph, link

DEFAULT_CATALOG_DIR = Path(__file__).with_name("catalog")
ARTICLE_RE = re.compile(r"^(|[a-z]+( [a-z]+){0,2})$")
KEYS = {"name", "description", "plural", "article", "aliases", "sublabels", "is_a", "part_of", "scene", "properties"}


@dataclass(frozen=True)
class Label:
    """One catalog entry; ``name`` is the full name (``dog`` or ``dog/head``)."""

    name: str
    description: str
    plural: str
    aliases: tuple[str, ...] = ()
    sublabels: tuple[Label, ...] = ()
    article: str | None = None
    is_a: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    scene: bool = False
    #: property name -> its allowed values (read-only), e.g. ``{"color": ("black", "brown", ...)}``
    properties: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def to_json(self) -> dict[str, Any]:
        """The API representation (``is_a``, ``part_of``, ``scene`` and ``properties`` only when set)."""
        doc: dict[str, Any] = {"name": self.name, "description": self.description, "plural": self.plural,
                               "aliases": list(self.aliases)}
        if self.article is not None:
            doc["article"] = self.article
        if self.is_a:
            doc["is_a"] = list(self.is_a)
        if self.part_of:
            doc["part_of"] = list(self.part_of)
        if self.scene:
            doc["scene"] = True
        if self.properties:
            doc["properties"] = {key: list(values) for key, values in self.properties.items()}
        if "/" not in self.name:
            doc["sublabels"] = [sub.to_json() for sub in self.sublabels]
        return doc


@dataclass
class Catalog:
    """The loaded catalog with lookup by full name and by alias."""

    labels: list[Label]
    version: str
    by_name: dict[str, Label] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    document: bytes = b""
    plurals: dict[str, str] = field(default_factory=dict)
    graph: Graph = field(default_factory=lambda: Graph({}, {}, {}))

    def kinds(self, name: str) -> tuple[str, ...]:
        """``name`` and every label that is one (``is_a``, transitively), sorted: ``any:NAME`` in a query."""
        return self.graph.kinds.get(name, ())

    def article(self, name: str) -> str:
        """The words before ``name`` in a question: the catalog's ``article``, else "a"/"an" by its first letter."""
        label = self.by_name.get(name)
        if label is not None and label.article is not None:
            return label.article
        spoken = name.replace("/", " ")
        return "an" if spoken[:1] in "aeiou" else "a"

    def resolve(self, name: str) -> str | None:
        """The catalog name for ``name`` (a name or an alias, any case), or None."""
        key = " ".join(name.strip().lower().split())
        if key in self.by_name:
            return key
        if "/" in key:
            parent, _, sub = key.partition("/")
            parent_name = self.aliases.get(parent, parent)
            full = f"{parent_name}/{sub}"
            return full if full in self.by_name else None
        return self.aliases.get(key)

    def resolve_term(self, term: str) -> str | None:
        """The catalog name for ``term``: a name or an alias (any case), the catalog's plural of a label, or the
        plural of a name or an alias, regular or not (``puppies``, ``kittens``, ``field mice``), else None."""
        key = " ".join(term.strip().lower().split())
        found = self.resolve(key) or self.plurals.get(key)
        if found is None and "/" not in key:
            singular = _singular(key)
            found = self.resolve(singular) if singular else None
        return found


@lru_cache(maxsize=4096)
def _singular(phrase: str) -> str | None:
    """The singular of an English plural noun phrase (``field mice`` -> ``field mouse``), or None when it is not
    one."""
    return _inflect_engine().singular_noun(phrase) or None


@lru_cache(maxsize=1)
def _inflect_engine() -> Any:
    """inflect's engine, imported on the first term the catalog does not know (the import takes a while)."""
    import inflect

    return inflect.engine()


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{where}: key '{key}' must be a non-empty string")
    return value.strip()


def _parse_entry(entry: Any, where: str, parent: str | None) -> Label:
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: each label must be an object")
    unknown = set(entry) - KEYS
    if unknown:
        raise CatalogError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    name = _text(entry, "name", where)
    if not NAME_RE.match(name):
        raise CatalogError(f"{where}: key 'name' value {name!r} must be lowercase letters, digits, spaces or hyphens")
    full = f"{parent}/{name}" if parent else name
    where = f"{where} ({full})"
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and NAME_RE.match(a) for a in aliases):
        raise CatalogError(f"{where}: key 'aliases' must be a list of lowercase names")
    subs_raw = entry.get("sublabels", [])
    if parent and subs_raw:
        raise CatalogError(f"{where}: key 'sublabels' is not allowed on a sublabel")
    if not isinstance(subs_raw, list):
        raise CatalogError(f"{where}: key 'sublabels' must be a list")
    subs = tuple(_parse_entry(sub, f"{where} sublabels[{i}]", full) for i, sub in enumerate(subs_raw))
    article = entry.get("article")
    if article is not None and (not isinstance(article, str) or not ARTICLE_RE.match(article)):
        raise CatalogError(f"{where}: key 'article' must be \"\" or up to three lowercase words such as \"a pair of\"")
    return Label(full, _text(entry, "description", where), _text(entry, "plural", where), tuple(aliases), subs,
                 article, **relations(entry, where, parent))


def load_catalog(directory: Path | str, promoted: Sequence[dict[str, Any]] = ()) -> Catalog:
    """Load every ``*.json`` file in ``directory`` and the ``promoted`` entries (labels moderators promoted from
    suggestions, kept in the database); raise :class:`CatalogError` on the first problem."""
    directory = Path(directory)
    files = sorted(directory.glob("*.json"))
    if not files:
        raise CatalogError(f"{directory}: no *.json label files found")
    labels: list[tuple[Label, str]] = []
    for path in files:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CatalogError(f"{path.name}: not valid JSON: {exc}") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("labels"), list):
            raise CatalogError(f"{path.name}: key 'labels' must be a list at the top level")
        for i, entry in enumerate(doc["labels"]):
            where = f"{path.name} labels[{i}]"
            labels.append((_parse_entry(entry, where, None), where))
    for entry in promoted:
        where = f"promoted label {entry.get('name')!r}"
        labels.append((_parse_entry(entry, where, None), where))
    return _index(labels)


def _index(entries: list[tuple[Label, str]]) -> Catalog:
    """Index ``(label, where it is defined)`` pairs; duplicates and alias clashes name both places."""
    entries.sort(key=lambda entry: entry[0].name)
    by_name: dict[str, Label] = {}
    defined_in: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for label, where in entries:
        for item in (label, *label.sublabels):
            if item.name in by_name:
                raise CatalogError(f"{where} ({item.name}): key 'name' value {item.name!r} is already defined in "
                                   f"{defined_in[item.name]}")
            by_name[item.name] = item
            defined_in[item.name] = where
    for label, where in entries:
        for alias in label.aliases:
            if alias in by_name or alias in aliases:
                other = defined_in[alias] if alias in by_name else defined_in[aliases[alias]]
                raise CatalogError(f"{where} ({label.name}): key 'aliases' value {alias!r} is already a name or "
                                   f"an alias in {other}")
            aliases[alias] = label.name
    graph = link(by_name, defined_in, CatalogError)
    labels = [label for label, _ in entries]
    body = [label.to_json() for label in labels]
    version = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    document = json.dumps({"version": version, "labels": body}, separators=(",", ":")).encode()
    plurals = {label.plural: name for name, label in by_name.items()
               if "/" not in name and label.plural not in by_name and label.plural not in aliases}
    return Catalog(labels=labels, version=version, by_name=by_name, aliases=aliases, document=document,
                   plurals=plurals, graph=graph)
