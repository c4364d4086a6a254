"""Deleting one's own account and an admin's blocking (API.md: "Accounts and API tokens")."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config
from sqlalchemy import select

from .. import ratelimit
from ..auth import require_role, verify_password
from ..errors import ApiError, invalid
from ..models import Contributor
from ..services import account_lifecycle
from . import json_body
from .people import require_session


@view_config(route_name="api.me", request_method="DELETE", renderer="json")
def delete_me(request: Any) -> dict[str, Any]:
    """Delete the caller's account (a log-in token and the password again): ``contributions`` ``keep`` or
    ``revert``. Every token of the account answers 401 from then on, in every process."""
    identity = require_session(request)
    body = json_body(request)
    password = body.get("password")
    if not isinstance(password, str):
        raise invalid("password (the current one) is a required string.", field="password")
    choice = account_lifecycle.read_choice(body.get("contributions"))
    ratelimit.check(request.registry["clients_limiter"], "login:" + ratelimit.client_address(request),
                    "password attempts")
    account = request.dbsession.scalar(select(Contributor).where(Contributor.id == identity.id).with_for_update())
    if account is None or not verify_password(password, account.password_hash):
        raise ApiError(401, "invalid_credentials", "The password is wrong.")
    reverted = account_lifecycle.delete_account(request, account, choice)
    return {"deleted": True, "contributions": choice, "reverted": reverted}


def _block(request: Any, blocked: bool) -> dict[str, Any]:
    admin = require_role(request, "admin")
    account = account_lifecycle.set_blocked(request, request.matchdict["name"], blocked, actor=admin)
    return {"name": account.name, "blocked": account.blocked}


@view_config(route_name="api.account_block", request_method="POST", renderer="json")
def block(request: Any) -> dict[str, Any]:
    """An admin blocks an account: its tokens answer 403 ``blocked`` at once in every process; it cannot log in."""
    return _block(request, True)


@view_config(route_name="api.account_unblock", request_method="POST", renderer="json")
def unblock(request: Any) -> dict[str, Any]:
    """An admin lifts a block; the account's tokens work again."""
    return _block(request, False)
