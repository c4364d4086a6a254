"""The annotate plugin's tables: annotations, their revisions, task candidates, skips and marks."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from imagemonkey.plugin import Base, UTCDateTime, utcnow

OWNER = {"info": {"owner": "annotate"}}


class Annotation(Base):
    """The outline of one image label: its current shapes (a copy of its latest revision)."""

    __tablename__ = "annotate_annotation"
    __table_args__ = (UniqueConstraint("image_label_id", name="uq_annotate_annotation_image_label_id"),
                      Index("ix_annotate_annotation_image_id_id", "image_id", "id"),
                      Index("ix_annotate_annotation_label", "label"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_label_id: Mapped[int] = mapped_column(ForeignKey("image_label.id", ondelete="CASCADE"))
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(128))
    revision: Mapped[int] = mapped_column(Integer)
    last_revision: Mapped[int] = mapped_column(Integer)
    shapes: Mapped[str] = mapped_column(Text)
    shape_count: Mapped[int] = mapped_column(Integer)
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Shape(Base):
    """One distinct shape of an annotation, stored once (by the sha256 of its JSON) however many revisions hold it."""

    __tablename__ = "annotate_shape"
    __table_args__ = (UniqueConstraint("annotation_id", "digest", name="uq_annotate_shape_annotation_id"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotate_annotation.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)


class Revision(Base):
    """One saved state of an annotation; revision numbers only grow and are never reused.

    ``shape_ids`` is the JSON list of its :class:`Shape` ids in order: a revision that changes one
    shape of two hundred adds one shape row and a list of ids, not every shape again.
    """

    __tablename__ = "annotate_revision"
    __table_args__ = (UniqueConstraint("annotation_id", "revision", name="uq_annotate_revision_annotation_id"),
                      Index("ix_annotate_revision_contributor_id", "contributor_id"),
                      Index("ix_annotate_revision_created_at", "created_at"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotate_annotation.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    shape_ids: Mapped[str] = mapped_column(Text)
    shape_count: Mapped[int] = mapped_column(Integer)
    contributor_id: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Candidate(Base):
    """An image label that may become an annotate task.

    ``done``: it has shapes, or three contributors said it cannot be annotated.
    ``eligible``: its image label is verified (kept up by the validate plugin's events;
    only consulted when validate is enabled). ``random_key`` gives the random pivot order.
    """

    __tablename__ = "annotate_candidate"
    __table_args__ = (Index("ix_annotate_candidate_done_random_key", "done", "random_key"),
                      Index("ix_annotate_candidate_label_done_random_key", "label", "done", "random_key"),
                      Index("ix_annotate_candidate_eligible_done_random_key", "eligible", "done", "random_key"),
                      Index("ix_annotate_candidate_label_eligible_done_random_key", "label", "eligible", "done",
                            "random_key"),
                      Index("ix_annotate_candidate_image_id", "image_id"), OWNER)

    image_label_id: Mapped[int] = mapped_column(ForeignKey("image_label.id", ondelete="CASCADE"), primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(128))
    eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    not_annotatable_count: Mapped[int] = mapped_column(Integer, default=0)
    random_key: Mapped[int] = mapped_column(Integer)


class Skip(Base):
    """A contributor does not want this image label as a task again."""

    __tablename__ = "annotate_skip"
    __table_args__ = OWNER

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    image_label_id: Mapped[int] = mapped_column(ForeignKey("image_label.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotAnnotatable(Base):
    """A contributor's mark that an image label makes no sense to outline."""

    __tablename__ = "annotate_not_annotatable"
    __table_args__ = (Index("ix_annotate_not_annotatable_contributor_id", "contributor_id"), OWNER)

    image_label_id: Mapped[int] = mapped_column(ForeignKey("image_label.id", ondelete="CASCADE"), primary_key=True)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LabelCount(Base):
    """How many image labels of each label have an outline (an annotation with shapes), kept with every change,
    summed over ``shard``: each database connection adds to its own row (``counter_shard``)."""

    __tablename__ = "annotate_label_count"
    __table_args__ = OWNER

    label: Mapped[str] = mapped_column(String(128), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, server_default=text("0"))
    outlined: Mapped[int] = mapped_column(Integer, default=0)
