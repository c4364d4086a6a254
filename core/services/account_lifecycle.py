"""The end of an account: deleting it (its contributions kept anonymously or reverted) and blocking it.

A deleted account's contributor row stays as a nameless ``deleted`` row without password, role or tokens:
its votes stay one vote each and its donations keep their donor, but nothing names the person any more.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from ..auth import may_act_on
from ..db import after_commit
from ..errors import forbidden, invalid, not_found
from ..models import Contributor, Token
from . import contributions
from .revert import revert_contributor

CHOICES = ("keep", "revert")
DELETED_KIND = "deleted"


def read_choice(value: object) -> str:
    """``contributions``: ``keep`` or ``revert``, else a 422."""
    if value not in CHOICES:
        raise invalid("contributions: 'keep' (they stay, credited to no one) or 'revert' (every one undone).",
                      field="contributions")
    return str(value)


def forget_identities(request: Any) -> None:
    """Every process drops its cached identities now and once the change has committed (a request in between may
    have cached the old row again)."""
    cache = request.registry["identity_cache"]
    cache.clear()
    after_commit(request, cache.clear)


def delete_account(request: Any, account: Contributor, choice: str) -> dict[str, int]:
    """Delete ``account`` in the request's transaction; returns what a ``revert`` undid (``{}`` for ``keep``).

    The choice is logged as ``account.delete`` (target: the choice), every token of the account is deleted, and
    the row loses its name, password and role.
    """
    reverted = revert_contributor(request, account) if choice == "revert" else {}
    contributions.record(request, "account.delete", choice, contributor=account)
    request.dbsession.execute(delete(Token).where(Token.contributor_id == account.id))
    account.kind, account.name, account.password_hash, account.role = DELETED_KIND, None, None, "contributor"
    forget_identities(request)
    return reverted


def set_blocked(request: Any, name: str, blocked: bool, actor: Any = None) -> Contributor:
    """Block or unblock the account called ``name``; ``actor`` (None: an operator at the command line) must be
    allowed to act on it (:func:`imagemonkey.auth.may_act_on`). Its tokens answer 403 ``blocked`` at once."""
    account = request.dbsession.scalar(select(Contributor).where(Contributor.name == name,
                                                                 Contributor.kind == "account"))
    if account is None:
        raise not_found("account")
    if actor is not None and not may_act_on(actor, account):
        raise forbidden("You may not block or unblock this account (yourself, or a role not below yours).",
                        code="cannot_block")
    account.blocked = blocked
    forget_identities(request)
    return account
