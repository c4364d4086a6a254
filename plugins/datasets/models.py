"""The datasets plugin's tables: releases (one row per revision), their files and their images."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from imagemonkey.plugin import Base, UTCDateTime, utcnow

OWNER = {"info": {"owner": "datasets"}}
STATUSES = ("building", "ready", "failed", "withdrawn")


class Release(Base):
    """One revision of a versioned release. A takedown adds revision ``n + 1``; revision ``n`` is withdrawn."""

    __tablename__ = "datasets_release"
    __table_args__ = (UniqueConstraint("version", "revision", name="uq_datasets_release_version_revision"),
                      Index("ix_datasets_release_created_at_id", "created_at", "id"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(32))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="building")
    query: Mapped[str | None] = mapped_column(Text)
    formats: Mapped[str] = mapped_column(Text)  # space-separated format names
    include_unverified: Mapped[bool] = mapped_column(Boolean, default=False)
    license: Mapped[str] = mapped_column(String(64))
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: images, image_labels, labels, shapes, ...
    digest: Mapped[str | None] = mapped_column(String(64))
    snapshot_key: Mapped[str | None] = mapped_column(String(64))  # blob: the snapshot the files were built from
    job_id: Mapped[str | None] = mapped_column(String(64))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("datasets_release.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(64))  # why this revision exists (a takedown's reason class)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReleaseFile(Base):
    """A file of a release revision, kept in the blob store under ``blob_key`` (its sha256)."""

    __tablename__ = "datasets_file"
    __table_args__ = (UniqueConstraint("release_id", "name", name="uq_datasets_file_release_id_name"),
                      Index("ix_datasets_file_blob_key", "blob_key"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("datasets_release.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128))
    format: Mapped[str] = mapped_column(String(32))
    bytes: Mapped[int] = mapped_column(BigInteger)
    blob_key: Mapped[str] = mapped_column(String(64))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)


class ReleaseImage(Base):
    """An image a release revision holds (so a takedown finds the releases that hold a removed image)."""

    __tablename__ = "datasets_release_image"
    __table_args__ = (Index("ix_datasets_release_image_image_id", "image_id"), OWNER)

    release_id: Mapped[int] = mapped_column(ForeignKey("datasets_release.id", ondelete="CASCADE"),
                                            primary_key=True)
    image_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no foreign key: the image row may go
