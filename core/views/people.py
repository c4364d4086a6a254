"""Sign-up, named API tokens, log-outs and password change (API.md: "Accounts and API tokens")."""
from __future__ import annotations

from typing import Any

from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select

from .. import ratelimit
from ..auth import Identity, hash_password, require_contributor, verify_password
from ..db import after_commit
from ..errors import ApiError, invalid, not_found
from ..models import Contributor
from ..services import accounts, api_tokens
from ..services.visibility import parse_id
from . import json_body


def require_session(request: Any) -> Identity:
    """The account of a log-in (session) token; an anonymous or a named API token is a 403."""
    identity = require_contributor(request)
    if identity.kind != "account":
        raise ApiError(403, "forbidden", "This needs an account: sign up at /signup or log in at /login.")
    if identity.token_kind != "session":
        raise ApiError(403, "forbidden", "A named API token cannot manage tokens or passwords; log in instead.")
    return identity


def forget_cached_tokens(request: Any) -> None:
    """Once the revocation commits, clear this process's cache of tokens (it caches log-in tokens only where it is
    the site's one process: SQLite); cleared before the commit, a concurrent request could cache the old row again."""
    cache = request.registry["identity_cache"]
    after_commit(request, cache.clear)


@view_config(route_name="api.accounts", request_method="POST", renderer="json")
def sign_up(request: Any) -> dict[str, Any]:
    """A new account and a session token; with ``claim``, this browser's anonymous history becomes the account's."""
    body = json_body(request)
    username = accounts.check_name(body.get("username"))
    password = accounts.check_password(body.get("password"), username)
    claim = body.get("claim", False)
    if not isinstance(claim, bool):
        raise invalid("claim is true or false.", field="claim")
    ratelimit.check(request.registry["clients_limiter"], "signup:" + ratelimit.client_address(request), "sign-ups")
    account = accounts.sign_up(request, username, password, claim)
    token = accounts.new_session(request, account)
    request.response.status_int = 201
    return {"token": token, "user": {"id": str(account.id), "name": account.name, "roles": account.roles}}


@view_config(route_name="api.me_tokens", request_method="GET", renderer="json")
def list_tokens(request: Any) -> dict[str, Any]:
    """The account's named API tokens (never their secrets)."""
    identity = require_session(request)
    return {"tokens": [api_tokens.to_json(row) for row in api_tokens.listed(request.dbsession, identity.id)]}


@view_config(route_name="api.me_tokens", request_method="POST", renderer="json")
def create_token(request: Any) -> dict[str, Any]:
    """A new named API token, shown this once."""
    identity = require_session(request)
    body = json_body(request)
    name = api_tokens.read_name(body.get("name"))
    scopes = api_tokens.read_scopes(body.get("scopes"), identity.has_role("moderator"))
    expires_at = api_tokens.read_expiry(body.get("expires_at"))
    row, secret = api_tokens.create(request.dbsession, identity.id, name, scopes, expires_at)
    request.response.status_int = 201
    return {"token": secret, **api_tokens.to_json(row)}


@view_config(route_name="api.me_token", request_method="DELETE")
def revoke_token(request: Any) -> Response:
    """Revoke a named token: it answers 401 from the next request on, in every process."""
    identity = require_session(request)
    if not api_tokens.revoke(request.dbsession, identity.id, parse_id(request.matchdict["id"], "token")):
        raise not_found("token")
    forget_cached_tokens(request)
    return Response(status=204)


@view_config(route_name="api.sessions", request_method="DELETE")
def log_out_everywhere(request: Any) -> Response:
    """Revoke every session token of the account (this one too); named API tokens stay."""
    identity = require_session(request)
    accounts.revoke_sessions(request, identity.id)
    forget_cached_tokens(request)
    return Response(status=204)


@view_config(route_name="api.session_current", request_method="DELETE")
def log_out(request: Any) -> Response:
    """Revoke this log-in's own token (the site's "Log out")."""
    identity = require_session(request)
    accounts.revoke_token(request, identity.token_id)
    forget_cached_tokens(request)
    return Response(status=204)


@view_config(route_name="api.me_password", request_method="POST")
def change_password(request: Any) -> Response:
    """A new password (the current one is asked again); every other session of the account is logged out."""
    identity = require_session(request)
    body = json_body(request)
    current = body.get("password")
    if not isinstance(current, str):
        raise invalid("password (the current one) is a required string.", field="password")
    ratelimit.check(request.registry["clients_limiter"], "login:" + ratelimit.client_address(request),
                    "password attempts")
    account = request.dbsession.scalar(select(Contributor).where(Contributor.id == identity.id))
    if account is None or not verify_password(current, account.password_hash):
        raise ApiError(401, "invalid_credentials", "The current password is wrong.")
    account.password_hash = hash_password(accounts.check_password(body.get("new_password"), identity.name or ""))
    accounts.revoke_sessions(request, identity.id, keep_token_id=identity.token_id)
    forget_cached_tokens(request)
    return Response(status=204)
