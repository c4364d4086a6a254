"""``caption:"red car"``: images with a caption holding these words in this order (case-insensitive).

SQLite answers through the FTS5 table ``caption_fts``: one document per image (rowid = image id), its captions
joined by the token ``_`` so that a phrase never spans two captions. PostgreSQL answers through the GIN index on
``to_tsvector('simple', text)`` with ``phraseto_tsquery``. Both split text into words at anything that is not a
letter or digit; a phrase without any word matches nothing.

When a caption term drives a query (:func:`caption_driver`), the images come in image id order from an index
that the phrase can stop in after a page: on SQLite FTS5's own rowid order, on PostgreSQL the
``(word, image_id, caption_id)`` key of ``caption_word`` for one word of the phrase (its longest), each caption
then checked for the whole phrase. The cost of a page grows with the captions read before it fills, not with
the number of matches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Integer, bindparam, column, false, table, text
from sqlalchemy.ext.compiler import compiles

from .prefixes import QueryPrefix

WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 16
POSTGRES = ("SELECT caption.image_id FROM caption WHERE to_tsvector('simple', caption.text) "
            "@@ phraseto_tsquery('simple', :phrase)")
SQLITE = "SELECT caption_fts.rowid AS image_id FROM caption_fts WHERE caption_fts MATCH :phrase"

#: SQLite's driving table: its rowid is the image id
CAPTION_FTS = table("caption_fts", column("rowid", Integer))
#: PostgreSQL's driving table (created by the migration, kept by a trigger on ``caption``)
CAPTION_WORD = table("caption_word", column("word"), column("image_id", Integer), column("caption_id", Integer))
#: one caption of the row's image matches the phrase, and no later caption of that image does (one row per image);
#: ``OFFSET 0`` keeps each check a per-row sub-plan (else the planner may turn it into a join that reads every match
#: from the GIN index and sorts them)
POSTGRES_DRIVEN = (
    "caption_word.word = (SELECT word FROM unnest(tsvector_to_array(to_tsvector('simple', :phrase))) AS word "
    "ORDER BY length(word) DESC, word LIMIT 1) "
    "AND EXISTS (SELECT 1 FROM caption AS driving WHERE driving.id = caption_word.caption_id "
    "AND to_tsvector('simple', driving.text) @@ phraseto_tsquery('simple', :phrase) OFFSET 0) "
    "AND NOT EXISTS (SELECT 1 FROM caption AS later WHERE later.image_id = caption_word.image_id "
    "AND later.id > caption_word.caption_id "
    "AND to_tsvector('simple', later.text) @@ phraseto_tsquery('simple', :phrase) OFFSET 0)")


def phrase_words(phrase: str) -> list[str]:
    """The words of ``phrase`` (lower case, at most MAX_WORDS)."""
    return WORD.findall(phrase.lower())[:MAX_WORDS]


def sqlite_phrase(words: list[str]) -> str:
    """``words`` as an FTS5 phrase."""
    return '"' + " ".join(words) + '"'


class CaptionMatch(ColumnElement[bool]):
    """``image_id IN`` (the images with a caption matching ``words``), written per dialect."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, image_id: Any, words: list[str]) -> None:
        self.image_id = image_id
        self.words = words


def _in(element: CaptionMatch, sql: str, phrase: str) -> Any:
    subquery = text(sql).bindparams(bindparam("phrase", phrase, unique=True)).columns(image_id=Integer)
    return element.image_id.in_(subquery)


@compiles(CaptionMatch, "postgresql")
def _postgres(element: CaptionMatch, compiler: Any, **kw: Any) -> str:
    return compiler.process(_in(element, POSTGRES, " ".join(element.words)), **kw)


@compiles(CaptionMatch, "sqlite")
def _sqlite(element: CaptionMatch, compiler: Any, **kw: Any) -> str:
    return compiler.process(_in(element, SQLITE, sqlite_phrase(element.words)), **kw)


def caption_clause(phrase: str, image_id: Any) -> ColumnElement[bool]:
    """The condition "the image has a caption matching ``phrase``" (false when the phrase has no word)."""
    words = phrase_words(phrase)
    return CaptionMatch(image_id, words) if words else false()


@dataclass(frozen=True)
class CaptionDriver:
    """How a caption phrase drives a query on one dialect: the table to read, its image id column (the order and
    keyset column) and the condition on its rows."""

    source: Any
    image_id: Any
    where: Any


def caption_driver(dialect: str, words: list[str]) -> CaptionDriver:
    """The driving table for the phrase ``words`` (not empty) on ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "postgresql":
        where = text(POSTGRES_DRIVEN).bindparams(bindparam("phrase", " ".join(words), unique=True))
        return CaptionDriver(CAPTION_WORD, CAPTION_WORD.c.image_id, where)
    match = text("caption_fts MATCH :phrase").bindparams(bindparam("phrase", sqlite_phrase(words), unique=True))
    return CaptionDriver(CAPTION_FTS, CAPTION_FTS.c.rowid, match)


CAPTION_PREFIX = QueryPrefix("caption", 'Images with a caption holding these words in order: caption:"red car".',
                             caption_clause, argument="text")
