"""Counters kept with every write, so statistics never scan: per day and kind, active contributors, labels, statuses."""
from __future__ import annotations

from sqlalchemy import Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db.meta import Base


class StatDaily(Base):
    """Writes of one ``kind`` (a contribution kind such as ``image.donate``) on one UTC day (``YYYY-MM-DD``).

    The kind ``contributor.active`` counts the contributors who wrote anything that day. A day's
    count of a kind is the sum over its ``shard`` rows: each database connection adds to its own
    shard (``imagemonkey.services.counters``), so concurrent writes of one kind do not queue on
    one row lock until each other's commit.
    """

    __tablename__ = "stat_daily"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=0,
                                       server_default=text("0"))
    count: Mapped[int] = mapped_column(Integer, default=0)


class StatActive(Base):
    """That a contributor wrote something on a day (so each is counted once per day)."""

    __tablename__ = "stat_active"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    contributor_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class StatLabel(Base):
    """How many images carry a label (image labels of that name): the sum over the label's ``shard`` rows."""

    __tablename__ = "stat_label"

    label: Mapped[str] = mapped_column(String(128), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=0,
                                       server_default=text("0"))
    images: Mapped[int] = mapped_column(Integer, default=0)


class StatImageStatus(Base):
    """How many images have a status: the sum over the status's ``shard`` rows (every donation adds to
    ``public``, so one row would queue concurrent donations on its lock)."""

    __tablename__ = "stat_image_status"

    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=0,
                                       server_default=text("0"))
    images: Mapped[int] = mapped_column(Integer, default=0)
