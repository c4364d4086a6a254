"""The tables of near-duplicate review: clusters of look-alike pictures, their members, and what was scanned."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from imagemonkey.plugin import Base, UTCDateTime, utcnow

OWNER = {"info": {"owner": "playground"}}
#: ``open`` waits for a moderator; ``merged`` kept one picture and hid the rest; ``kept``: they are different
STATES = ("open", "merged", "kept")


class DuplicateCluster(Base):
    """A group of pictures whose embeddings lie within ``playground.duplicates_max_distance`` of one another
    (single linkage), and the moderator's decision on it."""

    __tablename__ = "playground_duplicate_cluster"
    __table_args__ = (Index("ix_playground_duplicate_cluster_state_id", "state", "id"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    backbone: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="open")
    kept_image_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DuplicateMember(Base):
    """One picture of a cluster; ``distance``: its cosine distance to the member it was found next to."""

    __tablename__ = "playground_duplicate_member"
    __table_args__ = (Index("ix_playground_duplicate_member_image_id", "image_id"), OWNER)

    cluster_id: Mapped[int] = mapped_column(ForeignKey("playground_duplicate_cluster.id", ondelete="CASCADE"),
                                            primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), primary_key=True)
    distance: Mapped[float] = mapped_column(Float, default=0.0)


class DuplicateScan(Base):
    """An embedding the duplicate job has looked up in the index (its neighbours were paired), per backbone."""

    __tablename__ = "playground_duplicate_scan"
    __table_args__ = (OWNER,)

    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), primary_key=True)
    backbone: Mapped[str] = mapped_column(String(64), primary_key=True)
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
