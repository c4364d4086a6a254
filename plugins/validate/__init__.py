"""The validate plugin: trust-weighted yes/no/unsure votes on image labels (and other plugins' subjects)."""
from __future__ import annotations

from typing import Any

from pyramid.config import Configurator
from sqlalchemy import select

from . import hooks, hookspecs
from .consensus import Policy
from .models import Subject

__all__ = ["includeme", "states"]


def states(dbsession: Any, kind: str, subject_ids: list[int]) -> dict[int, str]:
    """The validation state of each known subject of ``kind`` (unknown ids are left out), in one query."""
    if not subject_ids:
        return {}
    return dict(dbsession.execute(select(Subject.subject_id, Subject.state).where(
        Subject.kind == kind, Subject.subject_id.in_(list(subject_ids)))).all())


def includeme(config: Configurator) -> None:
    """Declare validate's hooks, register its hooks, routes, views, pages and static files."""
    config.registry["validate.policy"] = Policy.from_settings(config.registry.settings)
    config.add_hookspecs(hookspecs)
    config.add_hooks(hooks, name="validate")
    config.add_api_route("validate.votes", "/api/v1/image-labels/{id}/votes")
    config.add_api_route("validate.batch", "/api/v1/votes")
    config.add_api_route("validate.grid", "/api/v1/tasks/grid")
    config.add_api_route("validate.agreement", "/api/v1/validate/agreement")
    config.add_route("validate.page", "/validate")
    config.add_route("validate.grid_page", "/validate/grid")
    config.add_static_view("validate/static", "imagemonkey_validate:static", cache_max_age=3600)
    config.scan(".views")
    config.scan(".agreement")
