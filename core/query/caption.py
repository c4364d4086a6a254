"""``caption:"red car"``: images with a caption holding these words in this order (case-insensitive).

SQLite answers through the FTS5 table ``caption_fts`` (external content, kept in step with ``caption`` by triggers),
PostgreSQL through the GIN index on ``to_tsvector('simple', text)`` with ``phraseto_tsquery``. Both split text into
words at anything that is not a letter or digit; a phrase without any word matches nothing.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Integer, bindparam, false, text
from sqlalchemy.ext.compiler import compiles

from .prefixes import QueryPrefix

WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 16
POSTGRES = ("SELECT caption.image_id FROM caption WHERE to_tsvector('simple', caption.text) "
            "@@ phraseto_tsquery('simple', :phrase)")
SQLITE = "SELECT caption.image_id FROM caption_fts JOIN caption ON caption.id = caption_fts.rowid " \
         "WHERE caption_fts MATCH :phrase"


def phrase_words(phrase: str) -> list[str]:
    """The words of ``phrase`` (lower case, at most MAX_WORDS)."""
    return WORD.findall(phrase.lower())[:MAX_WORDS]


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
    return compiler.process(_in(element, SQLITE, '"' + " ".join(element.words) + '"'), **kw)


def caption_clause(phrase: str, image_id: Any) -> ColumnElement[bool]:
    """The condition "the image has a caption matching ``phrase``" (false when the phrase has no word)."""
    words = phrase_words(phrase)
    return CaptionMatch(image_id, words) if words else false()


CAPTION_PREFIX = QueryPrefix("caption", 'Images with a caption holding these words in order: caption:"red car".',
                             caption_clause, argument="text")
