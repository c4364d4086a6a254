"""The contribution log: every write, with who, what and when."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db.meta import Base
from .types import UTCDateTime, utcnow


class Contribution(Base):
    """One write by one contributor: ``kind`` is ``<owner>.<verb>`` (``image.donate``, ``validate.vote``)."""

    __tablename__ = "contribution"
    __table_args__ = (Index("ix_contribution_contributor_id_id", "contributor_id", "id"),
                      Index("ix_contribution_created_at", "created_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(48))
    target_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reverted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the label the write was about, where the writer named one (a label added, a vote on it, its outline):
    #: what the person counters per label (``person_label``, ``person_label_week``) are recounted from
    label: Mapped[str | None] = mapped_column(String(128))
