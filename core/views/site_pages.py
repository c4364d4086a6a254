"""The site's own pages whose data comes from the API in the browser (with the token in localStorage)."""
from __future__ import annotations

from typing import Any

from pyramid.view import view_config

from .slots import page_slots


@view_config(route_name="login", renderer="imagemonkey:templates/login.jinja2")
def login(request: Any) -> dict[str, Any]:
    """The login form; the token is kept in localStorage (no cookie authentication, so no CSRF surface)."""
    return {"title": "Log in"}


@view_config(route_name="signup", renderer="imagemonkey:templates/signup.jinja2")
def signup(request: Any) -> dict[str, Any]:
    """The sign-up form; "Keep what this browser did" claims the anonymous token's history."""
    return {"title": "Sign up"}


@view_config(route_name="moderate", renderer="imagemonkey:templates/moderate.jinja2")
def moderate(request: Any) -> dict[str, Any]:
    """The moderators' page: the pending queue (loaded with the moderator's token) and plugins' sections."""
    return {"title": "Moderate", "slots": page_slots(request, "moderate", {})}


@view_config(route_name="me", renderer="imagemonkey:templates/me.jinja2")
def me(request: Any) -> dict[str, Any]:
    """Your contributions, for the token in this browser (anonymous or an account's); plugins add sections."""
    return {"title": "Your contributions", "slots": page_slots(request, "me", {})}


@view_config(route_name="donate", renderer="imagemonkey:templates/donate.jinja2")
def donate(request: Any) -> dict[str, Any]:
    """Donate several pictures with labels from the catalog."""
    settings = request.registry.settings
    return {"title": "Donate", "max_mib": int(settings["imagemonkey.max_upload_bytes"]) // (1024 * 1024),
            "moderation": settings.get("imagemonkey.moderation", "post")}
