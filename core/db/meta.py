"""The one declarative base and MetaData, with a naming convention for constraints."""
from __future__ import annotations

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model, core's and the plugins'.

    Plugin tables carry their plugin's prefix and declare their owner with
    ``__table_args__ = {"info": {"owner": "<plugin>"}}``; core tables have no owner info.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: database objects no model declares: the captions' full-text search (SQLite's FTS5 table ``caption_fts`` with its
#: shadow tables, PostgreSQL's expression index ``ix_caption_text_search`` and its word table ``caption_word``, kept
#: by a trigger); migrations create them, comparisons skip them
SEARCH_OBJECT_PREFIXES = ("caption_fts", "caption_word", "ix_caption_text_search")


def is_search_object(name: str | None) -> bool:
    """Whether ``name`` is one of the full-text search objects that no model declares."""
    return (name or "").startswith(SEARCH_OBJECT_PREFIXES)


def owner_of(table: Table) -> str:
    """The migration owner of a table: ``"core"`` or a plugin name."""
    return table.info.get("owner", "core")
