"""Images: content-addressed renditions, perceptual-hash bands, status and provenance."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.meta import Base
from .types import UTCDateTime, utcnow

STATUSES = ("pending", "public", "hidden", "quarantined", "removed")


class Image(Base):
    """A donated image. Width and height are those of the upright image."""

    __tablename__ = "image"
    __table_args__ = (
        Index("ix_image_status_label_count_id", "status", "label_count", "id"),
        Index("ix_image_status_id", "status", "id"),
        Index("ix_image_donor_id_status", "donor_id", "status"),
        # Each band index carries the full hash, so a near-duplicate lookup reads its candidates from the index
        # alone (no table row per candidate).
        *(Index(f"ix_image_phash_b{i}", f"phash_b{i}", "phash") for i in range(3)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    format: Mapped[str] = mapped_column(String(8))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    upload_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # sha256 of the stored original: unique, so racing donations of one picture make one row (the losers'
    # insert fails and they answer the winner's image as a duplicate)
    original_key: Mapped[str] = mapped_column(String(64), index=True, unique=True)
    medium_key: Mapped[str] = mapped_column(String(64))
    thumb_key: Mapped[str] = mapped_column(String(64))
    phash: Mapped[int] = mapped_column(BigInteger)
    phash_b0: Mapped[int] = mapped_column(Integer)
    phash_b1: Mapped[int] = mapped_column(Integer)
    phash_b2: Mapped[int] = mapped_column(Integer)
    source_url: Mapped[str | None] = mapped_column(String(2048))
    page_url: Mapped[str | None] = mapped_column(String(2048))
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    label_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    labels: Mapped[list["ImageLabel"]] = relationship(  # noqa: F821
        back_populates="image", cascade="all, delete-orphan", order_by="ImageLabel.id")


class ImageStatusChange(Base):
    """A record of every status change of an image, by whom and why."""

    __tablename__ = "image_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), index=True)
    old_status: Mapped[str] = mapped_column(String(16))
    new_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImageNearDuplicate(Base):
    """A pair of images whose perceptual hashes are within the configured distance."""

    __tablename__ = "image_near_duplicate"
    __table_args__ = (Index("ix_image_near_duplicate_other_image_id", "other_image_id"),)

    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), primary_key=True)
    other_image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), primary_key=True)
    distance: Mapped[int] = mapped_column(Integer)
