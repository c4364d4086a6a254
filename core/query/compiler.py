"""Compiling a query's syntax tree to SQL over ``image`` (labels become indexed EXISTS sub-queries).

A plain label is ``EXISTS (SELECT 1 FROM image_label WHERE image_id = image.id AND label = :l)``,
answered by the unique ``(image_id, label)`` index. When the query is a label, or an AND with a
plain label among its operands, that label *drives* the query: images are read in id order from
the ``(label, image_id)`` index, so a page costs an index range plus one lookup per other term. A
``caption:"..."`` term (alone or among an AND's operands) drives before a label: the images come in id
order from the captions' full-text index (``caption.py``), instead of every match being read first.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select, true
from sqlalchemy.orm import aliased

from ..models import Image, ImageLabel
from .caption import CAPTION_PREFIX, phrase_words
from .fields import CORE_FIELDS, QueryField, comparison
from .parser import (
    And,
    Comparison,
    Filtered,
    Label,
    Node,
    Not,
    Or,
    Prefixed,
    PropertyFilter,
    QueryError,
    Unlabeled,
)
from .prefixes import QueryPrefix

#: ``(label, property, value, image_id) -> condition or None`` (the ``imagemonkey_query_property_clause`` hook)
PropertyClause = Callable[[str, str, str, Any], ColumnElement[bool] | None]


@dataclass(frozen=True)
class CompiledQuery:
    """``where`` must hold for an image; ``driver`` is the label whose index drives the scan (or None);
    ``phrase`` the words of a caption phrase whose full-text index drives it instead (or empty)."""

    where: ColumnElement[bool]
    driver: str | None
    phrase: tuple[str, ...] = ()


def has_any_label(labels: tuple[str, ...], image_id: Any = Image.id) -> ColumnElement[bool]:
    """The image carries one of ``labels`` (a range per label on the ``(image_id, label)`` index)."""
    other = aliased(ImageLabel)
    return exists(select(other.id).where(other.image_id == image_id, other.label.in_(labels)))


def has_label(label: str, image_id: Any = Image.id) -> ColumnElement[bool]:
    """The image ``image_id`` carries ``label`` (an index lookup on ``(image_id, label)``).

    Each term reads its own alias of ``image_label``, so it correlates with ``image`` only, also
    when the driving label already joins ``image_label``.
    """
    other = aliased(ImageLabel)
    return exists(select(other.id).where(other.image_id == image_id, other.label == label))


class Compiler:
    """Compiles trees against one catalog and one set of prefixes."""

    def __init__(self, catalog: Any, prefixes: dict[str, QueryPrefix],
                 property_clause: PropertyClause | None = None, fields: dict[str, QueryField] | None = None) -> None:
        self.catalog = catalog
        self.prefixes = prefixes
        self.property_clause = property_clause
        self.fields = CORE_FIELDS if fields is None else fields

    def resolve(self, label: Label) -> str:
        """The catalog name of ``label`` (aliases and plurals resolve to their label), or a positioned error."""
        name = self.catalog.resolve_term(label.name)
        if name is None:
            raise QueryError(f"{label.name!r} at position {label.position} is not a label in the catalog.",
                             label.position, code="unknown_label")
        return name

    def clause(self, node: Node) -> ColumnElement[bool]:
        """The SQL condition for ``node``."""
        if isinstance(node, Label):
            return has_label(self.resolve(node))
        if isinstance(node, Not):
            return not_(self.clause(node.operand))
        if isinstance(node, And):
            return and_(*(self.clause(child) for child in node.operands))
        if isinstance(node, Or):
            return or_(*(self.clause(child) for child in node.operands))
        if isinstance(node, Unlabeled):
            return Image.label_count == 0
        if isinstance(node, Prefixed) and node.prefix == "any":
            return has_any_label(self.catalog.kinds(self.resolve(node.label)))
        if isinstance(node, Prefixed):
            prefix = self.prefixes.get(node.prefix)
            if prefix is None:
                known = ", ".join(f"{name}:" for name in sorted({*self.prefixes, "any"}))
                raise QueryError(f"Unknown prefix {node.prefix!r} at position {node.position} (known: {known}).",
                                 node.position, code="unknown_prefix")
            argument = node.label.name if prefix.argument == "text" else self.resolve(node.label)
            return prefix.clause(argument, Image.id)
        if isinstance(node, Filtered):
            label = self.resolve(node.label)
            return and_(has_label(label), *(self.property(label, item) for item in node.filters))
        if isinstance(node, Comparison):
            field = self.fields.get(node.field)
            if field is None:
                raise QueryError(f"Unknown field {node.field!r} at position {node.position} (known: "
                                 f"{', '.join(sorted(self.fields))}).", node.position, code="unknown_field")
            return comparison(field, node.operator, node.value, Image.id)
        raise TypeError(f"not a query node: {node!r}")

    def property(self, label: str, item: PropertyFilter) -> ColumnElement[bool]:
        """``label[property=value]``: checked against the catalog, answered by the plugin that keeps properties."""
        allowed = self.catalog.by_name[label].properties
        if item.property not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise QueryError(f"{label!r} has no property {item.property!r} (position {item.position}; its properties: "
                             f"{known}).", item.position, code="unknown_property")
        if item.value not in allowed[item.property]:
            raise QueryError(f"{item.value!r} is not a {item.property} of {label!r} (position {item.position}; one of: "
                             f"{', '.join(allowed[item.property])}).", item.position, code="unknown_property")
        clause = self.property_clause(label, item.property, item.value, Image.id) if self.property_clause else None
        if clause is None:
            raise QueryError(f"The property filter at position {item.position} needs a plugin that keeps properties "
                             "(the refine plugin), and none is enabled.", item.position)
        return clause

    def compile(self, node: Node) -> CompiledQuery:
        """``node`` as a where clause and, when it has one, the driving caption phrase or label."""
        operands = node.operands if isinstance(node, And) else (node,)
        for i, child in enumerate(operands):
            words = self.caption_words(child)
            if words:
                rest = operands[:i] + operands[i + 1:]
                return CompiledQuery(and_(true(), *(self.clause(other) for other in rest)), None, tuple(words))
        if isinstance(node, Label | Filtered):
            return self._driven(node, ())
        if isinstance(node, And):
            for i, child in enumerate(node.operands):
                if isinstance(child, Label | Filtered):
                    return self._driven(child, node.operands[:i] + node.operands[i + 1:])
        return CompiledQuery(self.clause(node), None)

    def caption_words(self, node: Node) -> list[str]:
        """The words of ``node`` when it is a core ``caption:`` term with at least one word (else empty)."""
        if isinstance(node, Prefixed) and node.prefix == "caption" and self.prefixes.get("caption") is CAPTION_PREFIX:
            return phrase_words(node.label.name)
        return []

    def _driven(self, driver: Label | Filtered, rest: tuple[Node, ...]) -> CompiledQuery:
        """The query driven by ``driver``'s label index: the other terms (and its property filters) as the where."""
        if isinstance(driver, Label):
            return CompiledQuery(and_(*(self.clause(other) for other in rest)), self.resolve(driver))
        label = self.resolve(driver.label)
        filters = [self.property(label, item) for item in driver.filters]
        return CompiledQuery(and_(*filters, *(self.clause(other) for other in rest)), label)
