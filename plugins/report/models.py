"""Report's tables: reports, the moderation queue, decisions and reporters' standing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from imagemonkey.plugin import Base, UTCDateTime, utcnow

OWNER = {"info": {"owner": "report"}}


class Report(Base):
    """One contributor's report on one image; a second report by the same contributor updates this row.

    ``weight`` is what the report added to the image's score when it was made (after the hourly cap);
    ``fresh`` reports (new anonymous tokens) are capped together per image. ``state`` is ``open``,
    ``dismissed`` (a moderator kept the image) or ``upheld`` (a moderator removed it).
    """

    __tablename__ = "report_report"
    __table_args__ = (
        UniqueConstraint("image_id", "contributor_id", name="uq_report_report_image_id_contributor_id"),
        Index("ix_report_report_contributor_id_created_at", "contributor_id", "created_at"),
        Index("ix_report_report_image_id_state", "image_id", "state"),
        Index("ix_report_report_created_at", "created_at"),
        Index("ix_report_report_decision_id", "decision_id"),
        OWNER,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    fresh: Mapped[bool] = mapped_column(Boolean, default=False)
    moderator: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="open")
    decision_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


QUEUE_ORDERS = ("oldest", "most_reported")


class QueueItem(Base):
    """An image waiting for a moderator: a pending donation, a screening hit or a reported image.

    ``kind`` is the most serious of these (screened > reported > pending). ``hidden`` is True while the
    plugin holds the image in quarantine (reports or screening); ``status_before`` is what it returns to.
    The indexes serve the queue's two orders, alone or filtered by kind or reason, by keyset.
    """

    __tablename__ = "report_queue_item"
    __table_args__ = (
        Index("ix_report_queue_item_open_oldest", "is_open", "opened_at", "image_id"),
        Index("ix_report_queue_item_open_kind_oldest", "is_open", "kind", "opened_at", "image_id"),
        Index("ix_report_queue_item_open_reason_oldest", "is_open", "reason", "opened_at", "image_id"),
        Index("ix_report_queue_item_open_most", "is_open", "report_count", "image_id"),
        Index("ix_report_queue_item_open_kind_most", "is_open", "kind", "report_count", "image_id"),
        Index("ix_report_queue_item_open_reason_most", "is_open", "reason", "report_count", "image_id"),
        Index("ix_report_queue_item_screened_at", "screened_at"),
        OWNER,
    )

    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(16))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    status_before: Mapped[str | None] = mapped_column(String(16))
    screening: Mapped[str | None] = mapped_column(Text)
    screening_hit: Mapped[bool] = mapped_column(Boolean, default=False)
    screening_error: Mapped[str | None] = mapped_column(String(500))
    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Decision(Base):
    """A moderator's decision on an image, with who and why; ``reverted_at`` is set when it was undone."""

    __tablename__ = "report_decision"
    __table_args__ = (
        Index("ix_report_decision_image_id", "image_id"),
        Index("ix_report_decision_created_at", "created_at"),
        OWNER,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    decision: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(String(500))
    old_status: Mapped[str] = mapped_column(String(16))
    new_status: Mapped[str] = mapped_column(String(16))
    was_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    status_before: Mapped[str | None] = mapped_column(String(16))
    reverted_contributor_id: Mapped[int | None] = mapped_column(Integer)
    waited_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reverted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverted_by: Mapped[int | None] = mapped_column(Integer)


class Standing(Base):
    """How a reporter's earlier reports ended: dismissed (the image was kept) or upheld (removed)."""

    __tablename__ = "report_standing"
    __table_args__ = OWNER

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    dismissed: Mapped[int] = mapped_column(Integer, default=0)
    upheld: Mapped[int] = mapped_column(Integer, default=0)
