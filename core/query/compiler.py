"""Compiling a query's syntax tree to SQL over ``image`` (labels become indexed EXISTS sub-queries).

A plain label is ``EXISTS (SELECT 1 FROM image_label WHERE image_id = image.id AND label = :l)``,
answered by the unique ``(image_id, label)`` index. When the query is a label, or an AND with a
plain label among its operands, that label *drives* the query: images are read in id order from
the ``(label, image_id)`` index, so a page costs an index range plus one lookup per other term.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select
from sqlalchemy.orm import aliased

from ..models import Image, ImageLabel
from .parser import And, Comparison, Label, Node, Not, Or, Prefixed, QueryError
from .prefixes import QueryPrefix

FIELDS = {"width": Image.width, "height": Image.height}
OPERATORS = {">=": "__ge__", "<=": "__le__", ">": "__gt__", "<": "__lt__", "=": "__eq__", "!=": "__ne__"}


@dataclass(frozen=True)
class CompiledQuery:
    """``where`` must hold for an image; ``driver`` is the label whose index drives the scan (or None)."""

    where: ColumnElement[bool]
    driver: str | None


def has_label(label: str, image_id: Any = Image.id) -> ColumnElement[bool]:
    """The image ``image_id`` carries ``label`` (an index lookup on ``(image_id, label)``).

    Each term reads its own alias of ``image_label``, so it correlates with ``image`` only, also
    when the driving label already joins ``image_label``.
    """
    other = aliased(ImageLabel)
    return exists(select(other.id).where(other.image_id == image_id, other.label == label))


class Compiler:
    """Compiles trees against one catalog and one set of prefixes."""

    def __init__(self, catalog: Any, prefixes: dict[str, QueryPrefix]) -> None:
        self.catalog = catalog
        self.prefixes = prefixes

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
        if isinstance(node, Prefixed):
            prefix = self.prefixes.get(node.prefix)
            if prefix is None:
                known = ", ".join(f"{name}:" for name in sorted(self.prefixes)) or "none are enabled"
                raise QueryError(f"Unknown prefix {node.prefix!r} at position {node.position} (known: {known}).",
                                 node.position, code="unknown_prefix")
            return prefix.clause(self.resolve(node.label), Image.id)
        if isinstance(node, Comparison):
            column = FIELDS.get(node.field)
            if column is None:
                raise QueryError(f"Unknown field {node.field!r} at position {node.position} (known: "
                                 f"{', '.join(sorted(FIELDS))}).", node.position, code="unknown_field")
            return getattr(column, OPERATORS[node.operator])(node.value)
        raise TypeError(f"not a query node: {node!r}")

    def compile(self, node: Node) -> CompiledQuery:
        """``node`` as a where clause and, when it has one, the driving label."""
        if isinstance(node, Label):
            return CompiledQuery(self.clause(node), self.resolve(node))
        if isinstance(node, And):
            for i, child in enumerate(node.operands):
                if isinstance(child, Label):
                    rest = node.operands[:i] + node.operands[i + 1:]
                    return CompiledQuery(and_(*(self.clause(other) for other in rest)), self.resolve(child))
        return CompiledQuery(self.clause(node), None)
