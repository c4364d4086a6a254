"""Info, anonymous clients, and account sessions."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import func, select

from .. import ratelimit
from ..auth import dummy_password_hash, issue_token, require_contributor, verify_password
from ..errors import ApiError, invalid
from ..models import Contribution, Contributor
from ..services import profiles
from ..services.claim import claim_into
from ..version import API_VERSION, __version__
from . import json_body


@view_config(route_name="api.info", request_method="GET", renderer="json")
def info(request: Any) -> dict[str, Any]:
    """What this server is and which plugins it runs."""
    settings = request.registry.settings
    return {
        "name": settings["imagemonkey.name"],
        "version": __version__,
        "api_version": API_VERSION,
        "plugins": request.registry["enabled_plugins"],
        "task_kinds": request.registry["task_kinds"],
        "moderation": settings["imagemonkey.moderation"],
        "limits": {"max_upload_bytes": int(settings["imagemonkey.max_upload_bytes"]),
                   "max_pixels": int(settings["imagemonkey.max_pixels"])},
    }


@view_config(route_name="api.clients", request_method="POST", renderer="json")
def create_client(request: Any) -> dict[str, Any]:
    """A new anonymous contributor and its token (rate-limited per address)."""
    ratelimit.check(request.registry["clients_limiter"], ratelimit.client_address(request), "new clients")
    contributor = Contributor(kind="client", role="contributor")
    request.dbsession.add(contributor)
    token = issue_token(request.dbsession, contributor)
    request.dbsession.flush()
    request.response.status_int = 201
    return {"client_id": str(contributor.id), "token": token}


@view_config(route_name="api.sessions", request_method="POST", renderer="json")
def create_session(request: Any) -> dict[str, Any]:
    """Log in with a username and password; answers an account token. With ``"claim": true`` and this browser's
    anonymous token in Authorization, everything that token's contributor did moves to the account."""
    body = json_body(request)
    username, password, claim = body.get("username"), body.get("password"), body.get("claim", False)
    if not isinstance(username, str) or not isinstance(password, str):
        raise invalid("username and password are required strings.", field="username")
    if not isinstance(claim, bool):
        raise invalid("claim is true or false.", field="claim")
    ratelimit.check(request.registry["clients_limiter"], "login:" + ratelimit.client_address(request),
                    "log-in attempts")
    account = request.dbsession.scalar(select(Contributor).where(Contributor.name == username))
    # An unknown name (or an account without a password) costs the same scrypt work as a wrong password,
    # so the answer's timing does not tell which names exist.
    stored = account.password_hash if account is not None and account.password_hash else dummy_password_hash()
    if not verify_password(password, stored) or account is None or not account.password_hash:
        raise ApiError(401, "invalid_credentials", "The username or password is wrong.")
    if account.blocked:
        raise ApiError(403, "blocked", "This account has been blocked.")
    answer: dict[str, Any] = {}
    if claim:
        answer["claimed"] = claim_into(request, account)
    token = issue_token(request.dbsession, account, kind="session")
    request.response.status_int = 201
    return {"token": token, "user": {"id": str(account.id), "name": account.name, "roles": account.roles}, **answer}


@view_config(route_name="api.me", request_method="GET", renderer="json")
def me(request: Any) -> dict[str, Any]:
    """Who the token belongs to: ``user`` for an account (and its opt-ins), ``client_id``, ``counts`` of its live
    contributions, ``today`` (today's writes by kind) and ``streak_days``, from the person counters."""
    contributor = require_contributor(request)
    answer: dict[str, Any] = {"id": str(contributor.id), "client_id": str(contributor.id), "kind": contributor.kind,
                              "name": contributor.name, "roles": contributor.roles,
                              "counts": contribution_counts(request.dbsession, contributor.id)}
    answer.update(profiles.today_and_streak(request.dbsession, contributor.id))
    if contributor.kind == "account":
        answer["user"] = {"name": contributor.name, "roles": contributor.roles}
        answer.update(request.dbsession.execute(select(Contributor.public_profile, Contributor.top_list).where(
            Contributor.id == contributor.id)).one()._asdict())
    if contributor.scope is not None:
        answer["scope"] = contributor.scope
    return answer


def contribution_counts(dbsession: Any, contributor_id: int) -> dict[str, int]:
    """How many live (not reverted) contributions the contributor has, by kind."""
    rows = dbsession.execute(select(Contribution.kind, func.count()).where(
        Contribution.contributor_id == contributor_id, Contribution.reverted.is_(False)).group_by(Contribution.kind))
    return dict(rows.all())
