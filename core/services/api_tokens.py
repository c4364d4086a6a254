"""Named API tokens: created with a name, scopes and an optional expiry, shown once, stored hashed, revocable."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from ..auth import SCOPES, hash_token
from ..errors import ApiError, invalid
from ..inputs import check_text
from ..models import Token
from ..models.types import isoformat, utcnow

MAX_TOKENS = 100  # named tokens per account


def read_scopes(value: object, may_moderate: bool) -> list[str]:
    """The requested scopes, in SCOPES order; 422 for unknown ones, 403 for moderate without the role."""
    if not isinstance(value, list) or not value or not all(isinstance(scope, str) for scope in value):
        raise invalid(f"scopes: a non-empty list of {', '.join(SCOPES)}.", field="scopes")
    unknown = sorted(set(value) - set(SCOPES))
    if unknown:
        raise invalid(f"Unknown scope {unknown[0]!r}; scopes are {', '.join(SCOPES)}.", field="scopes")
    if "moderate" in value and not may_moderate:
        raise ApiError(403, "forbidden", "Only moderators may create a token with the moderate scope.")
    return [scope for scope in SCOPES if scope in value]


def read_expiry(value: object) -> datetime | None:
    """``expires_at``: None, or an ISO 8601 time with a time zone in the future; else 422."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise invalid("expires_at: an ISO 8601 time with a time zone, such as 2027-01-31T00:00:00Z.",
                      field="expires_at")
    if when <= utcnow():
        raise invalid("expires_at must be in the future.", field="expires_at")
    return when


def read_name(value: object) -> str:
    """The token's name: 1 to 64 characters."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise invalid("name: 1 to 64 characters that say what the token is for.", field="name")
    return check_text(value.strip(), "name")


def create(dbsession: Any, contributor_id: int, name: str, scopes: list[str], expires_at: datetime | None
           ) -> tuple[Token, str]:
    """A new named token for the account; returns its row and the token (the only time it is seen)."""
    count = dbsession.scalar(select(func.count()).select_from(Token).where(
        Token.contributor_id == contributor_id, Token.kind == "api"))
    if count >= MAX_TOKENS:
        raise invalid(f"An account may have at most {MAX_TOKENS} named tokens; revoke some first.", field="name")
    secret = "im_" + secrets.token_urlsafe(32)
    row = Token(token_hash=hash_token(secret), contributor_id=contributor_id, kind="api", name=name,
                scopes=",".join(scopes), expires_at=expires_at)
    dbsession.add(row)
    dbsession.flush()
    return row, secret


def listed(dbsession: Any, contributor_id: int) -> list[Token]:
    """The account's named tokens, newest first."""
    return list(dbsession.scalars(select(Token).where(Token.contributor_id == contributor_id, Token.kind == "api")
                                  .order_by(Token.id.desc())))


def revoke(dbsession: Any, contributor_id: int, token_id: int) -> bool:
    """Delete one of the account's named tokens; False when it has none with that id."""
    result = dbsession.execute(delete(Token).where(Token.id == token_id, Token.contributor_id == contributor_id,
                                                   Token.kind == "api"))
    return result.rowcount == 1


def to_json(row: Token) -> dict[str, Any]:
    """A token as the API shows it (never its secret)."""
    return {"id": str(row.id), "name": row.name, "scopes": (row.scopes or "").split(","),
            "created_at": isoformat(row.created_at), "expires_at": isoformat(row.expires_at),
            "last_used_at": isoformat(row.last_used_at)}
