"""Captions: one-sentence descriptions of an image with a language tag, and the votes on them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db.meta import Base
from .types import UTCDateTime, utcnow


class Caption(Base):
    """A caption of one image; ``up`` and ``down`` count its votes (kept in step with CaptionVote)."""

    __tablename__ = "caption"
    __table_args__ = (Index("ix_caption_image_id_id", "image_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(35))
    up: Mapped[int] = mapped_column(Integer, default=0)
    down: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaptionVote(Base):
    """One contributor's vote on one caption: ``vote`` is +1 (up) or -1 (down); a new vote replaces the old."""

    __tablename__ = "caption_vote"
    __table_args__ = (UniqueConstraint("caption_id", "contributor_id",
                                       name="uq_caption_vote_caption_id_contributor_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    caption_id: Mapped[int] = mapped_column(ForeignKey("caption.id", ondelete="CASCADE"))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), index=True)
    vote: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
