"""Declared settings: each owner (core, every plugin) names its keys with a default and a coercer.

Values are coerced once, when the app is built: a bad value stops start-up with a
:class:`SettingError` that names the key, and an unknown ``<plugin>.<key>`` of an enabled
plugin does too (typo protection). Afterwards :func:`get_setting` returns the typed value.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Coercer = Callable[[Any], Any]
TYPED = "settings.typed"
DECLARED = "settings.declared"


class SettingError(ValueError):
    """A setting has a bad value, or an enabled plugin's setting is not declared."""


@dataclass(frozen=True)
class Setting:
    """One declared setting: full ``name`` (``"validate.max_votes"``), ``default``, ``coerce``, ``help``."""

    name: str
    default: Any
    coerce: Coercer
    help: str = ""


def _bounded(kind: Callable[[Any], Any], what: str, minimum: float | None, maximum: float | None) -> Coercer:
    def coerce(raw: Any) -> Any:
        if isinstance(raw, bool):
            raise ValueError(f"expected {what}, got {raw!r}")
        try:
            value = kind(raw.strip() if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            raise ValueError(f"expected {what}, got {raw!r}") from None
        if minimum is not None and value < minimum:
            raise ValueError(f"must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise ValueError(f"must be at most {maximum}, got {value}")
        return value
    return coerce


def as_int(min: int | None = None, max: int | None = None) -> Coercer:  # noqa: A002  (the contract's names)
    """A coercer to ``int`` within ``[min, max]``."""
    return _bounded(int, "an integer", min, max)


def as_float(min: float | None = None, max: float | None = None) -> Coercer:  # noqa: A002
    """A coercer to ``float`` within ``[min, max]``."""
    return _bounded(float, "a number", min, max)


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


def as_bool() -> Coercer:
    """A coercer to ``bool`` (``true/false``, ``yes/no``, ``on/off``, ``1/0``)."""
    def coerce(raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"expected true or false, got {raw!r}")
    return coerce


def as_list() -> Coercer:
    """A coercer to ``list[str]`` from a whitespace- or comma-separated value."""
    def coerce(raw: Any) -> list[str]:
        if raw is None:
            return []
        if isinstance(raw, (list, tuple)):
            return [str(v) for v in raw]
        return [part for part in str(raw).replace(",", " ").split() if part]
    return coerce


def as_choice(*choices: str) -> Coercer:
    """A coercer that accepts only one of ``choices`` (strings)."""
    def coerce(raw: Any) -> str:
        value = str(raw).strip()
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, got {raw!r}")
        return value
    return coerce


def as_str() -> Coercer:
    """A coercer to ``str`` (stripped)."""
    return lambda raw: str(raw).strip()


def coerce_settings(raw: dict[str, Any], declared: Iterable[Setting]) -> dict[str, Any]:
    """Typed values of ``declared`` from ``raw`` (defaults for unset keys); SettingError names a bad key."""
    typed: dict[str, Any] = {}
    for setting in declared:
        value = raw.get(setting.name)
        if value is None:
            typed[setting.name] = setting.default
            continue
        try:
            typed[setting.name] = setting.coerce(value)
        except ValueError as exc:
            raise SettingError(f"setting {setting.name} = {value!r} is invalid: {exc}") from None
    return typed


def declare(registry: Any, settings: Iterable[Setting]) -> None:
    """Coerce ``settings`` from the registry's raw settings now and keep their typed values."""
    settings = list(settings)
    declared: dict[str, Setting] = registry.setdefault(DECLARED, {})
    for setting in settings:
        if setting.name in declared:
            raise SettingError(f"setting {setting.name} is declared twice")
        declared[setting.name] = setting
    registry.setdefault(TYPED, {}).update(coerce_settings(registry.settings, settings))


def declare_settings(config: Any, settings: Iterable[Setting]) -> None:
    """Directive ``config.declare_settings([Setting(...), ...])`` for a plugin's ``includeme``."""
    declare(config.registry, settings)


def check_undeclared(registry: Any, owners: Iterable[str]) -> None:
    """SettingError for a ``<owner>.<key>`` setting that ``owner`` (an enabled plugin) did not declare."""
    declared = registry.get(DECLARED, {})
    prefixes = tuple(f"{owner}." for owner in owners)
    for key in sorted(registry.settings):
        if key.startswith(prefixes) and key not in declared:
            owner = key.split(".", 1)[0]
            known = sorted(name for name in declared if name.startswith(f"{owner}."))
            raise SettingError(f"unknown setting {key} for plugin {owner!r}; it declares: "
                               f"{', '.join(known) or 'no settings'}")


def get_setting(request_or_registry: Any, name: str) -> Any:
    """The typed value of declared setting ``name`` (KeyError when nobody declared it)."""
    registry = getattr(request_or_registry, "registry", request_or_registry)
    typed = registry.get(TYPED, {})
    if name not in typed:
        raise KeyError(f"setting {name} is not declared")
    return typed[name]
