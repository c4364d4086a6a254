"""Accounts: the password rule, sign-up (claiming an anonymous token's history), log-outs and password change."""
from __future__ import annotations

import functools
import json
import re
from importlib.resources import files
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..auth import bearer_token, hash_password, hash_token, issue_token
from ..errors import ApiError, invalid
from ..models import Contributor, Token

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower case, without spaces)."""
    text = files("imagemonkey").joinpath("common_passwords.json").read_text(encoding="utf-8")
    return frozenset(json.loads(text)["passwords"])


def check_password(password: object, username: str = "") -> str:
    """``password`` if it is acceptable, else a 422 ``weak_password`` that says why."""
    if not isinstance(password, str):
        raise invalid("password is a required string.", field="password")
    if len(password) < MIN_PASSWORD:
        raise invalid(f"The password needs at least {MIN_PASSWORD} characters.", field="password",
                      code="weak_password")
    if len(password) > MAX_PASSWORD:
        raise invalid(f"The password may have at most {MAX_PASSWORD} characters.", field="password",
                      code="weak_password")
    folded = password.lower().replace(" ", "")
    if folded in common_passwords() or len(set(folded)) < 4 or (username and username.lower() in folded):
        raise invalid("This password is too easy to guess (a common password, too few different characters, "
                      "or it holds the user name).", field="password", code="weak_password")
    return password


def check_name(username: object) -> str:
    """``username`` if it is a valid account name (2-32 letters, digits, ``_.-``), else a 422."""
    if not isinstance(username, str) or not NAME_PATTERN.match(username):
        raise invalid("username: 2 to 32 letters, digits, '_', '.' or '-', starting with a letter or digit.",
                      field="username")
    return username


def sign_up(request: Any, username: str, password: str, claim: bool) -> Contributor:
    """A new account named ``username``; with ``claim``, the request's anonymous contributor becomes it.

    The contributor row itself moves (kind, name, password), so everything it did stays its own;
    the claimed anonymous token is revoked, so a second claim with it is a 401 and changes nothing.
    """
    dbsession = request.dbsession
    if dbsession.scalar(select(Contributor.id).where(Contributor.name == username)) is not None:
        raise name_taken()
    if claim:
        account = claimed_contributor(request)
    else:
        account = Contributor(kind="account", role="contributor")
        dbsession.add(account)
    account.kind, account.name, account.password_hash = "account", username, hash_password(password)
    try:
        dbsession.flush()
    except IntegrityError:  # the same name signed up in between
        raise name_taken() from None
    return account


def claimed_contributor(request: Any) -> Contributor:
    """The anonymous contributor behind the request's client token, locked; its token is revoked."""
    identity = request.contributor
    token = bearer_token(request)
    if identity is None or token is None or identity.token_kind != "client" or identity.kind != "client":
        raise ApiError(422, "not_claimable", "claim needs the anonymous client token of this browser in "
                                             "Authorization.")
    key = hash_token(token)
    removed = request.dbsession.execute(delete(Token).where(Token.token_hash == key, Token.kind == "client"))
    contributor = request.dbsession.scalar(select(Contributor).where(Contributor.id == identity.id)
                                           .with_for_update())
    if removed.rowcount != 1 or contributor is None or contributor.kind != "client":
        raise ApiError(409, "already_claimed", "This anonymous token has already been claimed.")
    request.registry["identity_cache"].forget(key)
    return contributor


def name_taken() -> ApiError:
    """409 ``name_taken``."""
    return ApiError(409, "name_taken", "That user name is taken; choose another.")


def new_session(request: Any, account: Contributor) -> str:
    """A session token for ``account``."""
    return issue_token(request.dbsession, account, kind="session")


def revoke_sessions(request: Any, contributor_id: int, keep_token_id: int | None = None) -> int:
    """Delete every session token of an account (but ``keep_token_id``); returns how many."""
    statement = delete(Token).where(Token.contributor_id == contributor_id, Token.kind == "session")
    if keep_token_id is not None:
        statement = statement.where(Token.id != keep_token_id)
    return request.dbsession.execute(statement).rowcount


def revoke_token(request: Any, token_id: int) -> None:
    """Delete one token by id."""
    request.dbsession.execute(delete(Token).where(Token.id == token_id))
