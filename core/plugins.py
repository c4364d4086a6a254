"""The plugin manager: one per app, on the registry; plugins load through entry points."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy
from pyramid.config import Configurator

from . import hookspecs
from .declared_settings import declare_settings
from .plugin_types import PluginError

ENTRY_POINT_GROUP = "imagemonkey.plugins"


def installed_plugins() -> dict[str, Any]:
    """Every plugin installed in this environment: ``{name: entry_point}``."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def plugin_module_name(name: str) -> str | None:
    """The module named by plugin ``name``'s entry point (``acme_stickers`` for ``stickers = acme_stickers``)."""
    entry_point = installed_plugins().get(name)
    return entry_point.value.split(":", 1)[0].strip() if entry_point is not None else None


def collect(results: Iterable[Iterable[Any] | None], key: Callable[[Any], str], what: str) -> list[Any]:
    """Flatten a collect-style hook's answers (registration order); PluginError on a duplicate key."""
    found: list[Any] = []
    seen: set[str] = set()
    for batch in results:
        for item in batch or []:
            name = key(item)
            if name in seen:
                raise PluginError(f"two plugins declare {what} {name!r}")
            seen.add(name)
            found.append(item)
    return found


def collect_hook(registry: Any, hook_name: str, key: Callable[[Any], str], what: str, **kwargs: Any) -> list[Any]:
    """Call collect-style hook ``hook_name`` and :func:`collect` its answers, first registered plugin first."""
    return collect(reversed(getattr(registry.pm.hook, hook_name)(**kwargs)), key, what)


def plugin_version(entry_point: Any) -> str:
    """The version of the distribution that ships ``entry_point``."""
    dist = getattr(entry_point, "dist", None)
    return dist.version if dist is not None else "unknown"


def make_plugin_manager() -> pluggy.PluginManager:
    """A fresh manager with core's hookspecs."""
    pm = pluggy.PluginManager("imagemonkey")
    pm.add_hookspecs(hookspecs)
    return pm


def add_hooks(config: Configurator, obj: ModuleType | object, name: str | None = None) -> None:
    """Directive ``config.add_hooks(module)``: register hook implementations."""
    config.registry.pm.register(obj, name=name)


def add_hookspecs(config: Configurator, module: ModuleType) -> None:
    """Directive ``config.add_hookspecs(module)``: a plugin declares hooks of its own."""
    config.registry.pm.add_hookspecs(module)


def requires_plugin(config: Configurator, name: str) -> None:
    """Directive ``config.requires_plugin(name)``: start-up fails unless ``name`` is enabled too."""
    enabled = config.registry.settings["imagemonkey.plugins"]
    if name not in enabled:
        raise PluginError(
            f"plugin {config.registry['loading_plugin']!r} requires plugin {name!r}; add it to imagemonkey.plugins "
            f"(installed: {', '.join(sorted(installed_plugins())) or 'none'})")


def load_plugins(config: Configurator, names: list[str]) -> list[dict[str, str]]:
    """Include every named plugin through its entry point; returns ``[{"name", "version"}]``."""
    available = installed_plugins()
    loaded: list[dict[str, str]] = []
    for name in names:
        if name not in available:
            raise PluginError(f"unknown plugin {name!r} in imagemonkey.plugins; installed: "
                              f"{', '.join(sorted(available)) or 'none'}")
        try:
            module = available[name].load()
        except ImportError as exc:
            raise PluginError(f"plugin {name!r} failed to import: {exc}") from exc
        config.registry["loading_plugin"] = name
        config.include(module)
        loaded.append({"name": name, "version": plugin_version(available[name])})
    config.registry["loading_plugin"] = None
    return loaded


def includeme(config: Configurator) -> None:
    """Put a plugin manager on the registry and add the plugin directives."""
    config.registry.pm = make_plugin_manager()
    config.add_directive("add_hooks", add_hooks)
    config.add_directive("add_hookspecs", add_hookspecs)
    config.add_directive("requires_plugin", requires_plugin)
    config.add_directive("declare_settings", declare_settings)
