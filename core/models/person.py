"""Counters of each person's writes, kept with every logged write: profiles and top lists never scan the log.

Writes whose log entry names a label (``record_contribution(..., label=...)``) count per label too. Like
``stat_daily``, they count writes as they were made (a later revert does not take them back), by
the UTC day of the log entry; a week is keyed by its Monday (``YYYY-MM-DD``, ISO weeks).
"""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.meta import Base


class PersonDaily(Base):
    """A contributor's writes of one contribution ``kind`` on one UTC day (the calendar, today, the streak)."""

    __tablename__ = "person_daily"

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PersonTotal(Base):
    """A contributor's writes of one contribution ``kind``, ever."""

    __tablename__ = "person_total"

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PersonWeek(Base):
    """A contributor's writes (all kinds) in the ISO week starting on Monday ``week`` (the weekly top list)."""

    __tablename__ = "person_week"
    __table_args__ = (Index("ix_person_week_week_count", "week", "count"),)

    week: Mapped[str] = mapped_column(String(10), primary_key=True)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PersonKindWeek(Base):
    """A contributor's writes of one contribution ``kind`` in the ISO week starting on Monday ``week``: "top
    validator (donor, outliner) this week" (the ``(week, kind, count)`` index gives a kind's best count at once)."""

    __tablename__ = "person_kind_week"
    __table_args__ = (Index("ix_person_kind_week_week_kind_count", "week", "kind", "count"),)

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    week: Mapped[str] = mapped_column(String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PersonLabel(Base):
    """A contributor's writes about one label (a log entry that names it), ever: "the labels it helped most"."""

    __tablename__ = "person_label"
    __table_args__ = (Index("ix_person_label_contributor_id_count", "contributor_id", "count"),)

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    label: Mapped[str] = mapped_column(String(128), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PersonLabelWeek(Base):
    """A contributor's writes about one label in the ISO week starting on Monday ``week``: "top of a label this
    week" (the ``(week, label, count)`` index gives a label's best count at once)."""

    __tablename__ = "person_label_week"
    __table_args__ = (Index("ix_person_label_week_week_label_count", "week", "label", "count"),)

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    week: Mapped[str] = mapped_column(String(10), primary_key=True)
    label: Mapped[str] = mapped_column(String(128), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
