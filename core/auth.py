"""Tokens, password hashes and the current contributor."""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update

from .db.transactions import write
from .errors import ApiError, forbidden, unauthenticated
from .identity_cache import IdentityCache
from .models import Contributor, Token
from .models.contributor import role_at_least, roles_up_to
from .models.types import utcnow
from .shared_state import IDENTITIES_ENVIRON

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
# a named API token's scopes, each allowing what the ones before it allow
SCOPES = ("read", "contribute", "moderate")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LAST_USED_EVERY = timedelta(seconds=60)  # last_used_at is written at most this often per token


def hash_token(token: str) -> str:
    """Tokens are 256-bit random strings, so a plain sha256 is a safe one-way store."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(dbsession: Any, contributor: Contributor, kind: str = "client") -> str:
    """Create a token for ``contributor``; only its hash is stored. Returns the token."""
    token = secrets.token_urlsafe(32)
    dbsession.add(Token(token_hash=hash_token(token), contributor=contributor, kind=kind))
    return token


def hash_password(password: str) -> str:
    """A salted scrypt hash: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    enc = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${enc(salt).decode()}${enc(digest).decode()}"


@functools.cache
def dummy_password_hash() -> str:
    """A hash of a random password, to verify against when a log-in names no account (same work, same time)."""
    return hash_password(secrets.token_urlsafe(16))


def verify_password(password: str, stored: str | None) -> bool:
    """Check ``password`` against a stored scrypt hash in constant time."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, n, r, p, salt, digest = stored.split("$")
    computed = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                              dklen=32)
    return hmac.compare_digest(computed, base64.b64decode(digest))


def bearer_token(request: Any) -> str | None:
    """The bearer token of the request, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@dataclass(frozen=True)
class Identity:
    """Who a request acts for: a read-only snapshot of the contributor behind its token."""

    id: int
    kind: str
    name: str | None
    role: str
    blocked: bool
    token_id: int = 0
    token_kind: str = "client"
    scope: str | None = None  # a named API token's widest scope; None: a client or session token may do anything
    expires_at: datetime | None = None

    def allows(self, scope: str) -> bool:
        """Whether the request's token may do what ``scope`` covers (``read``, ``contribute``, ``moderate``)."""
        return self.scope is None or SCOPES.index(self.scope) >= SCOPES.index(scope)

    @property
    def roles(self) -> list[str]:
        """Every role this contributor holds (admin implies moderator)."""
        return roles_up_to(self.role)

    def has_role(self, role: str) -> bool:
        """True when this contributor's role is ``role`` or above."""
        return role_at_least(self.role, role)


IDENTITY_QUERY = (select(Contributor.id, Contributor.kind, Contributor.name, Contributor.role, Contributor.blocked,
                         Token.id.label("token_id"), Token.kind.label("token_kind"), Token.scopes, Token.expires_at,
                         Token.last_used_at)
                  .join(Token, Token.contributor_id == Contributor.id).where(Token.token_hash == bindparam("key")))


def widest_scope(scopes: str | None) -> str | None:
    """The widest of a stored comma-separated scope list (``"read,contribute"`` → ``contribute``)."""
    if not scopes:
        return None
    return max(scopes.split(","), key=SCOPES.index)


def current_contributor(request: Any) -> Identity | None:
    """The contributor behind the request's token (one indexed lookup, no ORM entity); unknown token → 401.

    Anonymous client tokens are cached (``token_cache_seconds``). Session and named API tokens are
    cached only where one process serves the site (SQLite, ``registry["cache_account_tokens"]``),
    whose revocations clear that cache; on PostgreSQL (several processes) they are read from the
    database on every request, so that a log-out, a revocation or an expiry holds at once in every
    process. A named token without ``contribute`` is refused any write (403).
    """
    token = bearer_token(request)
    if token is None:
        return None
    key = hash_token(token)
    cache: IdentityCache = request.registry["identity_cache"]
    identity = cache.get(key, request.environ.get(IDENTITIES_ENVIRON))
    if identity is None:
        identity = _load_identity(request, key)
    elif identity.expires_at is not None and identity.expires_at <= utcnow():
        cache.forget(key)
        raise unauthenticated("This token has expired; create a new one on /me.")
    if request.method not in SAFE_METHODS and not identity.allows("contribute"):
        raise forbidden("This token's scopes allow reading only; a write needs the contribute scope.")
    return identity


def _load_identity(request: Any, key: str) -> Identity:
    connection = request.dbsession.connection()
    row = connection.execute(IDENTITY_QUERY, {"key": key}).first()
    if row is None:
        raise unauthenticated("This token is not known here; ask for a new one at POST /api/v1/clients.")
    now = utcnow()
    if row.expires_at is not None and row.expires_at <= now:
        raise unauthenticated("This token has expired; create a new one on /me.")
    identity = Identity(row.id, row.kind, row.name, row.role, row.blocked, row.token_id, row.token_kind,
                        widest_scope(row.scopes) if row.token_kind == "api" else None, row.expires_at)
    if row.token_kind == "client" or request.registry["cache_account_tokens"]:
        request.registry["identity_cache"].put(key, identity)
    if row.token_kind == "api" and (row.last_used_at is None or row.last_used_at <= now - LAST_USED_EVERY):
        write(request, update(Token).where(Token.id == row.token_id).values(last_used_at=now), flush=False)
    return identity


def require_contributor(request: Any) -> Identity:
    """The contributor of the request, or a 401; a blocked contributor is a 403."""
    contributor = request.contributor
    if contributor is None:
        raise unauthenticated()
    if contributor.blocked:
        raise ApiError(403, "blocked", "This contributor has been blocked by a moderator.")
    return contributor


def require_role(request: Any, role: str) -> Identity:
    """The contributor of the request if it holds ``role`` (or above), else 401/403."""
    contributor = require_contributor(request)
    if not contributor.has_role(role):
        raise forbidden(f"This needs the {role} role.")
    if role != "contributor" and not contributor.allows("moderate"):
        raise forbidden("This token's scopes do not include moderate.")
    return contributor


def may_act_on(actor: Any, target: Any) -> bool:
    """Whether ``actor`` may revert or block ``target`` (both have ``id``, ``role`` and ``has_role``).

    The role hierarchy: an admin may act on anyone else; anyone below admin only on contributors whose
    role is below their own. Nobody acts on themselves.
    """
    if actor.id == target.id:
        return False
    return actor.has_role("admin") or not target.has_role(actor.role)


def may_undo(actor: Any, author_role: str) -> bool:
    """Whether ``actor`` may undo an action taken by someone with ``author_role``: their role is at least as high."""
    return role_at_least(actor.role, author_role)
