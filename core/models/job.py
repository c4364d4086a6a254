"""Background jobs: one row per run, the source of truth for state, progress, result and error."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db.meta import Base
from .types import UTCDateTime, utcnow

JOB_STATES = ("queued", "running", "done", "failed")


class Job(Base):
    """A job run: ``name`` is a registered :class:`imagemonkey.jobs.JobSpec` name, ``params`` its JSON arguments."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_state_id", "state", "id"),
                      Index("ix_job_name_id", "name", "id"),
                      Index("ix_job_created_by_id", "created_by", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(String(512), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("contributor.id", ondelete="SET NULL"), nullable=True)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: When its huey message was sent (None: not yet, or lost with a crashed process; re-sent at start-up).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: When a delayed job is due (None: at once).
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: How many times a process claimed it (the current run is attempt number ``attempts``).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: While running: the time by which its process must renew the lease (heartbeat), or the job is presumed lost
    #: with that process and queued again (``imagemonkey.jobs.lease``).
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
