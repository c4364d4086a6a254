"""The validate plugin: trust-weighted yes/no/unsure votes on image labels (and other plugins' subjects)."""
from __future__ import annotations

from typing import Any

from pyramid.config import Configurator

from imagemonkey.plugin import Setting, as_choice, as_float, as_int, get_setting

from . import hooks, hookspecs
from .consensus import Policy
from .counters import STATS_LABELS
from .settler import MODES, Settler
from .standing import SETTINGS as STANDING_SETTINGS

__all__ = ["includeme", "SETTINGS"]

_DEFAULT = Policy()
SETTINGS = [
    Setting("validate.min_votes", _DEFAULT.min_votes, as_int(min=1), "Votes before a subject can settle."),
    Setting("validate.max_votes", _DEFAULT.max_votes, as_int(min=1), "Votes after which a subject is retired."),
    Setting("validate.contested_votes", _DEFAULT.contested_votes, as_int(min=1),
            "Votes after which an unsettled subject counts as contested."),
    Setting("validate.verify_confidence", _DEFAULT.verify_confidence, as_float(min=0.5, max=0.999999),
            "Confidence at which a label is verified."),
    Setting("validate.reject_confidence", _DEFAULT.reject_confidence, as_float(min=0.5, max=0.999999),
            "Confidence at which a label is rejected."),
    Setting("validate.prior", _DEFAULT.prior, as_float(min=0.000001, max=0.999999),
            "Prior probability that a label is right."),
    Setting("validate.trust_alpha", _DEFAULT.trust_alpha, as_float(min=0.000001), "Beta prior of reliability: alpha."),
    Setting("validate.trust_beta", _DEFAULT.trust_beta, as_float(min=0.000001), "Beta prior of reliability: beta."),
    Setting("validate.statistics_labels", STATS_LABELS, as_int(min=1, max=1000),
            "Labels listed in the statistics section."),
    Setting("validate.settlement", MODES[0], as_choice(*MODES),
            "background: a settler thread per process counts votes after their commit; inline: right after it."),
    Setting("validate.settle_sweep_seconds", 30.0, as_float(min=0.1),
            "How often the settler thread also settles subjects left pending."),
    *STANDING_SETTINGS,
]


def policy_settings(registry: Any) -> dict[str, Any]:
    """The typed ``validate.*`` policy values."""
    return {f"validate.{name}": get_setting(registry, f"validate.{name}") for name in Policy.__dataclass_fields__}


def includeme(config: Configurator) -> None:
    """Declare validate's settings and hooks, register its hooks, routes, views, pages and static files."""
    config.declare_settings(SETTINGS)
    config.registry["validate.policy"] = Policy.from_settings(policy_settings(config.registry))
    settler = Settler(config.registry, get_setting(config.registry, "validate.settlement"),
                      get_setting(config.registry, "validate.settle_sweep_seconds"))
    config.registry["validate.settler"] = settler
    config.registry.setdefault("imagemonkey.background", []).append(settler)
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
