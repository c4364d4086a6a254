"""Labels on images, and suggestions for names the catalog lacks."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.meta import Base
from .image import Image
from .types import UTCDateTime, utcnow


class ImageLabel(Base):
    """One catalog label on one image (``label`` is the full name, e.g. ``dog/head``)."""

    __tablename__ = "image_label"
    __table_args__ = (UniqueConstraint("image_id", "label", name="uq_image_label_image_id_label"),
                      Index("ix_image_label_label_image_id", "label", "image_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(128))
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    image: Mapped[Image] = relationship(back_populates="labels")


class LabelSuggestion(Base):
    """A label name someone wanted that the catalog does not have (yet)."""

    __tablename__ = "label_suggestion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImageSuggestion(Base):
    """A suggested name given to an image; becomes a real ImageLabel once the catalog has it."""

    __tablename__ = "image_suggestion"
    __table_args__ = (UniqueConstraint("image_id", "suggestion_id", name="uq_image_suggestion_image_id_suggestion_id"),
                      Index("ix_image_suggestion_suggestion_id", "suggestion_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("label_suggestion.id", ondelete="CASCADE"))
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PromotedLabel(Base):
    """A suggestion a moderator promoted into the catalog (with its parent): the catalog's entries kept in the
    database, and the log of who promoted what, when."""

    __tablename__ = "promoted_label"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    is_a: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(String(500))
    plural: Mapped[str] = mapped_column(String(128))
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
