"""The refine plugin's tables: each contributor's answer, and the value the answers settled into.

A subject is an image label (``shape_id`` 0) or one outlined object of it (``shape_id``: the shape's id, which
the annotate plugin answers through ``imagemonkey_outline_shapes``; no foreign key, as refine runs without it).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from imagemonkey.plugin import Base, UTCDateTime, utcnow

NAME_MAX = 64


class Answer(Base):
    """One contributor's answer to one property of one image label (changeable: one row per contributor)."""

    __tablename__ = "refine_answer"
    __table_args__ = (UniqueConstraint("image_label_id", "shape_id", "property", "contributor_id",
                                       name="uq_refine_answer_subject_contributor"),
                      Index("ix_refine_answer_contributor_id", "contributor_id"),
                      {"info": {"owner": "refine"}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_label_id: Mapped[int] = mapped_column(ForeignKey("image_label.id", ondelete="CASCADE"))
    shape_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 0: the image label itself
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    property: Mapped[str] = mapped_column(String(NAME_MAX))
    value: Mapped[str] = mapped_column(String(NAME_MAX))
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow, nullable=False)


class Settled(Base):
    """The value an image label's property settled into (no row while it is unsettled)."""

    __tablename__ = "refine_settled"
    __table_args__ = (UniqueConstraint("image_label_id", "shape_id", "property", name="uq_refine_settled_subject"),
                      Index("ix_refine_settled_shape_id", "shape_id"),
                      Index("ix_refine_settled_label_property_value_image_id", "label", "property", "value",
                            "image_id"),
                      {"info": {"owner": "refine"}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_label_id: Mapped[int] = mapped_column(ForeignKey("image_label.id", ondelete="CASCADE"))
    shape_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 0: the image label itself
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(128))
    property: Mapped[str] = mapped_column(String(NAME_MAX))
    value: Mapped[str] = mapped_column(String(NAME_MAX))
    answers: Mapped[int] = mapped_column(Integer)
    settled_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow, nullable=False)
