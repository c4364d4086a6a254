"""Validate's tables: votable subjects, votes, contributor trust, established contributors and counters for
statistics."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from imagemonkey.plugin import Base, UTCDateTime, utcnow

OWNER = {"info": {"owner": "validate"}}
#: ``queue`` values: which selection queue a subject is in (None: not asked any more).
QUEUE_OPEN, QUEUE_CONTESTED, QUEUE_PENDING_OPEN, QUEUE_PENDING_CONTESTED = 0, 1, 2, 3


class Subject(Base):
    """Something that is voted on: ``(kind, subject_id)``, e.g. ``("image_label", 17)``.

    ``queue`` and the vote counts drive task selection through the
    ``(queue, label, vote_count, random_key)`` index; ``state`` and ``confidence`` are the policy's outcome,
    as of the last settlement (``pending_since`` is set while votes wait to be settled).
    """

    __tablename__ = "validate_subject"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", name="uq_validate_subject_kind_subject_id"),
        Index("ix_validate_subject_queue_label_pick", "queue", "label", "vote_count", "random_key"),
        Index("ix_validate_subject_queue_pick", "queue", "vote_count", "random_key"),
        Index("ix_validate_subject_kind_votes_image", "kind", "vote_count", "image_id", "id"),
        Index("ix_validate_subject_image_id", "image_id"),
        Index("ix_validate_subject_image_label_id", "image_label_id"),
        Index("ix_validate_subject_owner_id", "owner_id"),
        Index("ix_validate_subject_pending_since", "pending_since"),
        OWNER,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    image_label_id: Mapped[int | None] = mapped_column(ForeignKey("image_label.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(128))
    owner_id: Mapped[int | None] = mapped_column(Integer)
    donor_id: Mapped[int | None] = mapped_column(Integer)
    image_status: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="unverified")
    confidence: Mapped[float] = mapped_column(Float)
    yes_count: Mapped[int] = mapped_column(Integer, default=0)
    no_count: Mapped[int] = mapped_column(Integer, default=0)
    unsure_count: Mapped[int] = mapped_column(Integer, default=0)
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    queue: Mapped[int | None] = mapped_column(SmallInteger)
    random_key: Mapped[float] = mapped_column(Float)
    #: When the first vote not yet settled arrived (None: settled); see ``settlement``.
    pending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Vote(Base):
    """One contributor's current answer on one subject (a new vote replaces it).

    ``credit`` is how much the vote agreed with the other votes on its subject (the leave-one-out
    posterior), already added to the voter's :class:`Trust`; None when there was nothing to agree with.
    """

    __tablename__ = "validate_vote"
    __table_args__ = (
        UniqueConstraint("contributor_id", "kind", "subject_id", name="uq_validate_vote_contributor_id"),
        ForeignKeyConstraint(["kind", "subject_id"], ["validate_subject.kind", "validate_subject.subject_id"],
                             ondelete="CASCADE", name="fk_validate_vote_subject"),
        Index("ix_validate_vote_kind_subject_id", "kind", "subject_id"),
        Index("ix_validate_vote_address_key", "address_key", "contributor_id"),
        OWNER,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    vote: Mapped[str] = mapped_column(String(8))
    moderator: Mapped[bool] = mapped_column(Boolean, default=False)
    credit: Mapped[float | None] = mapped_column(Float)
    #: Whether the vote is in its day's :class:`DailyVotes` yet (settlement counts new votes).
    counted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: A keyed hash of the address the vote came from (see ``standing``); None for votes cast outside HTTP.
    address_key: Mapped[str | None] = mapped_column(String(16))
    #: When the voter last gave this answer (``updated_at`` also moves when settlement credits the vote).
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Trust(Base):
    """A contributor's record: summed agreement (``correct``) and disagreement (``wrong``) of their votes."""

    __tablename__ = "validate_trust"
    __table_args__ = OWNER

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    correct: Mapped[float] = mapped_column(Float, default=0.0)
    wrong: Mapped[float] = mapped_column(Float, default=0.0)


class Established(Base):
    """A contributor whose standing anchors others': agreeing with their answers counts (see ``standing``)."""

    __tablename__ = "validate_established"
    __table_args__ = OWNER

    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), primary_key=True)
    established_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LabelCount(Base):
    """Subjects per label and state, kept up to date with every change (statistics without scans), summed over
    ``shard``: each database connection adds to its own row (``counter_shard``), so concurrent votes share none."""

    __tablename__ = "validate_label_count"
    __table_args__ = OWNER

    label: Mapped[str] = mapped_column(String(128), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, server_default=text("0"))
    unverified: Mapped[int] = mapped_column(Integer, default=0)
    verified: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    contested: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)


class DailyVotes(Base):
    """Votes cast per UTC day, summed over ``shard`` (as :class:`LabelCount`)."""

    __tablename__ = "validate_daily_votes"
    __table_args__ = OWNER

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, server_default=text("0"))
    votes: Mapped[int] = mapped_column(Integer, default=0)


class PersonCount(Base):
    """A contributor's image labels whose subject is verified now (profiles' "verified labels"), kept whenever a
    subject's state or owner changes (:func:`.person_counts.count_owned`)."""

    __tablename__ = "validate_person"
    __table_args__ = OWNER

    # no foreign key: a subject keeps its owner's id (``Subject.owner_id``), so the count does too
    contributor_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    verified_labels: Mapped[int] = mapped_column(Integer, default=0)
