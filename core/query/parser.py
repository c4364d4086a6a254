"""Parsing query text into a small syntax tree, with the position of every mistake.

The grammar lives in ``grammar.lark`` and is parsed by lark's LALR parser (linear time,
no backtracking). The tree is turned into frozen dataclasses so the compiler and tests
work on plain values, each term carrying its offset in the text for error messages.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.exceptions import VisitError

from ..inputs import MAX_INT32

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 64


class QueryError(ValueError):
    """A query the server cannot run; ``position`` is the 0-based offset of the mistake in the text."""

    def __init__(self, message: str, position: int, code: str = "query_syntax") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.code = code


@dataclass(frozen=True)
class Label:
    """A label name (or alias) as written; ``position`` is where it starts; ``quoted`` when in double quotes
    (a quoted word is always a label, never a keyword such as ``unlabeled``)."""

    name: str
    position: int
    quoted: bool = False


@dataclass(frozen=True)
class Unlabeled:
    """The keyword ``unlabeled`` (unquoted, any case): the image has no labels."""

    position: int


@dataclass(frozen=True)
class PropertyFilter:
    """``property=value`` inside a filter; ``position`` is where the property starts."""

    property: str
    value: str
    position: int


@dataclass(frozen=True)
class Filtered:
    """``label[property=value, ...]``, e.g. ``dog[color=brown]``."""

    label: Label
    filters: tuple[PropertyFilter, ...]


@dataclass(frozen=True)
class Prefixed:
    """``prefix:label``, e.g. ``verified:dog``."""

    prefix: str
    label: Label
    position: int


@dataclass(frozen=True)
class Comparison:
    """``field op number``, e.g. ``width >= 1024``."""

    field: str
    operator: str
    value: int
    position: int


@dataclass(frozen=True)
class Not:
    """``~operand``."""

    operand: Node


@dataclass(frozen=True)
class And:
    """``a & b & ...``."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """``a | b | ...``."""

    operands: tuple[Node, ...]


Node = Label | Unlabeled | Prefixed | Filtered | Comparison | Not | And | Or


class _ToNodes(Transformer):
    """lark tree -> dataclasses."""

    def label(self, children: list[Token]) -> Label:
        token = children[0]
        text = str(token)
        quoted = token.type == "STRING"
        return Label(text[1:-1] if quoted else text, token.start_pos, quoted)

    def term(self, children: list[Label]) -> Label | Unlabeled:
        label = children[0]
        if not label.quoted and label.name.lower() == "unlabeled":
            return Unlabeled(label.position)
        return label

    def property_filter(self, children: list[Token]) -> PropertyFilter:
        name, operator, value = children
        if str(operator) != "=":
            raise QueryError(f"A property filter compares with '=' only (at position {operator.start_pos}).",
                             operator.start_pos)
        words = [str(token)[1:-1] if token.type == "STRING" else str(token) for token in (name, value)]
        return PropertyFilter(" ".join(words[0].lower().split()), " ".join(words[1].lower().split()),
                              name.start_pos)

    def filtered(self, children: list) -> Filtered:
        return Filtered(children[0], tuple(children[1:]))

    def prefixed(self, children: list) -> Prefixed:
        prefix, label = children
        return Prefixed(str(prefix).lower(), label, prefix.start_pos)

    def comparison(self, children: list[Token]) -> Comparison:
        field, operator, value = children
        if int(value) > MAX_INT32:  # the size columns are 32-bit integers in the database
            raise QueryError(f"The number at position {value.start_pos} is larger than {MAX_INT32}.", value.start_pos)
        return Comparison(str(field).lower(), str(operator), int(value), field.start_pos)

    def negation(self, children: list) -> Not:
        return Not(children[0])

    def and_expr(self, children: list) -> And:
        return And(tuple(children))

    def or_expr(self, children: list) -> Or:
        return Or(tuple(children))


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = Path(__file__).with_name("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False)


EXPECTED_WORDS = {"NAME": "a label", "STRING": "a quoted label", "LPAR": "'('", "RPAR": "')'", "TILDE": "'~'",
                  "AMPERSAND": "'&'", "VBAR": "'|'", "INT": "a number", "COLON": "':'", "COMPARATOR": "a comparison",
                  "LSQB": "'['", "RSQB": "']'", "COMMA": "','"}


def _expected(error: UnexpectedInput) -> str:
    names = sorted({EXPECTED_WORDS[name] for name in getattr(error, "expected", ()) or () if name in EXPECTED_WORDS})
    return f" Expected {' or '.join(names)}." if names else ""


def _describe(error: UnexpectedInput, text: str) -> QueryError:
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        return QueryError(f"The query ends too early (at position {len(text)}).{_expected(error)}", len(text))
    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream]
        return QueryError(f"Unexpected character {char!r} at position {error.pos_in_stream}.", error.pos_in_stream)
    assert isinstance(error, UnexpectedToken)
    token = error.token
    hint = " Put a name with spaces in double quotes, or join terms with '&' or '|'." if token.type == "NAME" else ""
    return QueryError(f"Unexpected {str(token)!r} at position {token.start_pos}.{_expected(error)}{hint}",
                      token.start_pos)


def count_terms(node: Node) -> int:
    """How many terms (labels, prefixed terms, comparisons) ``node`` has."""
    if isinstance(node, Not):
        return count_terms(node.operand)
    if isinstance(node, And | Or):
        return sum(count_terms(child) for child in node.operands)
    if isinstance(node, Filtered):
        return 1 + len(node.filters)
    return 1


def parse_query(text: str) -> Node:
    """The syntax tree of ``text``; raises :class:`QueryError` with the position of the first mistake."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is longer than {MAX_QUERY_LENGTH} characters.", MAX_QUERY_LENGTH)
    if not text.strip():
        raise QueryError("The query is empty.", 0)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _describe(error, text) from None
    try:
        node = _ToNodes().transform(tree)
    except VisitError as error:
        raise error.orig_exc from None
    if count_terms(node) > MAX_TERMS:
        raise QueryError(f"The query has more than {MAX_TERMS} terms.", 0)
    return node
