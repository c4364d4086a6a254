"""Profiles: ``GET /api/v1/people/{name}``, ``PATCH /api/v1/me`` (the opt-ins) and the page ``/people/<name>``."""
from __future__ import annotations

from typing import Any

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import select

from ..auth import require_contributor
from ..errors import ApiError, invalid, not_found
from ..models import Contributor
from ..services import profiles
from . import json_body

OPT_INS = ("public_profile", "top_list")


def public_account(request: Any) -> Contributor:
    """The account named in the path if its profile is public, else 404 ``not_found`` (hidden and unknown alike)."""
    name = request.matchdict["name"]
    account = request.dbsession.scalar(select(Contributor).where(Contributor.name == name))
    if account is None or account.kind != "account" or not account.public_profile or account.blocked:
        raise not_found("person")
    return account


@view_config(route_name="api.person", request_method="GET", renderer="json")
def person(request: Any) -> dict[str, Any]:
    """A public profile: numbers, calendar, streak and badges, all from counters."""
    return profiles.profile(request, public_account(request))


@view_config(route_name="api.me", request_method="PATCH", renderer="json")
def set_opt_ins(request: Any) -> dict[str, Any]:
    """Change the account's opt-ins (``public_profile``, ``top_list``); answers both."""
    identity = require_contributor(request)
    if identity.kind != "account":
        raise ApiError(403, "forbidden", "Only an account has a profile: sign up at /signup or log in at /login.")
    body = json_body(request)
    unknown = sorted(set(body) - set(OPT_INS))
    if unknown:
        raise invalid(f"Unknown field {unknown[0]!r}; PATCH /api/v1/me takes {', '.join(OPT_INS)}.", field=unknown[0])
    if not body:
        raise invalid(f"Send at least one of {', '.join(OPT_INS)}.")
    for field, value in body.items():
        if not isinstance(value, bool):
            raise invalid(f"{field} is true or false.", field=field)
    account = request.dbsession.scalar(select(Contributor).where(Contributor.id == identity.id))
    for field, value in body.items():
        setattr(account, field, value)
    return {field: getattr(account, field) for field in OPT_INS}


@view_config(route_name="person_page", renderer="imagemonkey:templates/person.jinja2")
def person_page(request: Any) -> dict[str, Any]:
    """The public profile page; a hidden or unknown profile is the site's 404 page."""
    try:
        account = public_account(request)
    except ApiError:
        raise HTTPNotFound() from None
    return {"title": account.name, "profile": profiles.profile(request, account)}
