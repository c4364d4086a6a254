"""The playground's tables: the model registry, the embedding cache and the shared similar-pictures index."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from imagemonkey.plugin import Base, UTCDateTime, utcnow

OWNER = {"info": {"owner": "playground"}}
STATUSES = ("queued", "training", "failed", "ready", "active")


class ModelVersion(Base):
    """One training: its labels, data snapshot, hyperparameters, metrics, status and weights (a blob key).

    At most one row is ``active`` (the registry keeps it so under a row lock); ``pinned`` marks an activation by a
    moderator, which suspends automatic activation until a moderator activates a version unpinned.
    """

    __tablename__ = "playground_model"
    __table_args__ = (Index("ix_playground_model_status_id", "status", "id"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    labels: Mapped[list] = mapped_column(JSON, default=list)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    hyperparameters: Mapped[dict] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict] = mapped_column(JSON, default=dict)
    map: Mapped[float | None] = mapped_column(Float)
    backbone: Mapped[str | None] = mapped_column(String(64))
    weights_key: Mapped[str | None] = mapped_column(String(64))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Embedding(Base):
    """The backbone embedding of one image, computed once per backbone version (float16, 1280 values)."""

    __tablename__ = "playground_embedding"
    __table_args__ = (Index("ix_playground_embedding_backbone_created_at", "backbone", "created_at", "image_id"),
                      OWNER)

    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), primary_key=True)
    backbone: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Suggestion(Base):
    """A label a model version believes an image shows but the image lacks: a question for validate.

    ``state`` follows validate's verdict (``unverified``, ``verified``, ``rejected``); a verified suggestion's label
    is added to the image. Nobody owns a suggestion, so a rejected one costs no contributor any trust.
    """

    __tablename__ = "playground_suggestion"
    __table_args__ = (UniqueConstraint("image_id", "label", name="uq_playground_suggestion_image_id"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(128))
    model_id: Mapped[int] = mapped_column(ForeignKey("playground_model.id", ondelete="CASCADE"), index=True)
    probability: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16), default="unverified")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Spread(Base):
    """A look-alike question: image ``image_id`` is among the nearest neighbours of ``source_image_id``, whose label
    ``label`` was verified, and lacks that label ("Does this one show a dog too?"): validate's subject kind
    ``playground_spread``. Like a :class:`Suggestion` it has no owner and follows validate's verdict in ``state``.
    """

    __tablename__ = "playground_spread"
    __table_args__ = (UniqueConstraint("image_id", "label", name="uq_playground_spread_image_id"),
                      Index("ix_playground_spread_created_at", "created_at"), OWNER)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(128))
    source_image_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"), index=True)
    distance: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16), default="unverified")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Uncertainty(Base):
    """How much active learning wants an answer about an image that still needs answers: the active model's
    uncertainty (one minus the margin between its two most probable labels) spread over look-alike groups
    (``diversity.priorities``); the highest scores are offered first. Before any model is active, the cold-start
    order (``coldstart``): the most typical picture of each look-alike group first, ``model_id`` None.

    Rewritten whenever a version becomes active (job ``playground.uncertainty``) and, while none is, by each
    similar-index update; bounded by ``playground.uncertain_images``.
    """

    __tablename__ = "playground_uncertainty"
    __table_args__ = (Index("ix_playground_uncertainty_score", "score"), OWNER)

    image_id: Mapped[int] = mapped_column(ForeignKey("image.id", ondelete="CASCADE"), primary_key=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("playground_model.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)


class SharedIndex(Base):
    """The similar-pictures index of one backbone version as last published to object storage: the blobs holding its
    usearch segments (a JSON list of keys, oldest segment first), the embedding time up to which it holds every
    embedding, and how many vectors it holds. Only a site whose blob store keeps no files (S3) writes rows; readers
    on every host download the blobs it names that they hold no copy of."""

    __tablename__ = "playground_similar_index"
    __table_args__ = (OWNER,)

    backbone: Mapped[str] = mapped_column(String(64), primary_key=True)
    blob_keys: Mapped[str] = mapped_column(Text)
    watermark: Mapped[str | None] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
