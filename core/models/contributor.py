"""Contributors (anonymous clients and accounts) and their hashed tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.meta import Base
from .types import UTCDateTime, utcnow

ROLES = ("contributor", "moderator", "admin")


def roles_up_to(role: str) -> list[str]:
    """``role`` and every role below it."""
    return list(ROLES[: ROLES.index(role) + 1])


def role_at_least(role: str, wanted: str) -> bool:
    """True when ``role`` is ``wanted`` or above."""
    return ROLES.index(role) >= ROLES.index(wanted)


class Contributor(Base):
    """Anyone who writes: an anonymous client or an account with a name and password."""

    __tablename__ = "contributor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="client")
    name: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="contributor")
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_label_task_image_id: Mapped[int | None] = mapped_column(Integer)
    #: opt-ins of an account: its page ``/people/<name>`` is public; its name may appear in the weekly top list
    public_profile: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    top_list: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    tokens: Mapped[list[Token]] = relationship(back_populates="contributor", cascade="all, delete-orphan")

    @property
    def roles(self) -> list[str]:
        """Every role this contributor holds (roles are ordered: admin implies moderator)."""
        return roles_up_to(self.role)

    def has_role(self, role: str) -> bool:
        """True when this contributor's role is ``role`` or above."""
        return role_at_least(self.role, role)


class Token(Base):
    """A bearer token, stored as its sha256 only.

    ``kind``: ``client`` (anonymous), ``session`` (a log-in) or ``api`` (a named API token with scopes).
    """

    __tablename__ = "token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="client")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # named API tokens (kind "api") only: a person's label, its scopes ("read,contribute"), expiry and last use
    name: Mapped[str | None] = mapped_column(String(64))
    scopes: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contributor: Mapped[Contributor] = relationship(back_populates="tokens")
