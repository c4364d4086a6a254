"""How every command finds its data: ``--config FILE.ini`` or the embedded default under ``--data-dir``."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..plugins import PluginError, installed_plugins
from ..settings import DEFAULT_DATA_DIR

EMBEDDED_DEFAULTS = {"imagemonkey.moderation": "post"}


def add_data_options(parser: argparse.ArgumentParser, *, plugins: bool = True, defaults: bool = True) -> None:
    """``--config`` / ``--data-dir`` (and ``--plugins``) on a subcommand; ``defaults=False`` on a nested one, so
    that an option it was not given leaves the value of the level above alone."""
    def default(value: str | None) -> str | None:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--config", metavar="FILE.ini", default=default(None),
                        help="a PasteDeploy ini file ([app:main] settings)")
    parser.add_argument("--data-dir", default=default(DEFAULT_DATA_DIR), metavar="DIR",
                        help="the embedded default's data folder when no --config is given (default: ./var)")
    if plugins:
        parser.add_argument("--plugins", metavar='"validate annotate"', default=default(None),
                            help="plugins to enable without --config (default: every installed plugin)")


def load_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Settings from the ini, or the embedded default (SQLite and files under ``--data-dir``)."""
    if args.config:
        from pyramid.paster import get_appsettings, setup_logging

        path = Path(args.config).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"config file {path} not found")
        setup_logging(str(path))
        settings = dict(get_appsettings(str(path)))
        settings.setdefault("imagemonkey.data_dir", str(path.parent / DEFAULT_DATA_DIR))
        return settings
    settings: dict[str, Any] = dict(EMBEDDED_DEFAULTS)
    settings["imagemonkey.data_dir"] = str(Path(args.data_dir).resolve())
    plugins = getattr(args, "plugins", None)
    settings["imagemonkey.plugins"] = plugins if plugins is not None else " ".join(sorted(installed_plugins()))
    return settings


def migrate(settings: dict[str, Any]) -> list[str]:
    """Check the settings, create the data folder and migrate the database to head (core, then the enabled plugins).

    A settings error (a misspelled or invalid plugin setting, an unknown plugin) stops here, before any migration
    changed the database.
    """
    from ..app import check_settings
    from ..db.engine import engine_from_app_settings
    from ..db.migrate import upgrade
    from ..settings import normalize_settings

    settings = dict(normalize_settings(dict(settings)))
    available = installed_plugins()
    unknown = [name for name in settings["imagemonkey.plugins"] if name not in available]
    if unknown:
        raise PluginError(f"unknown plugin {unknown[0]!r} in imagemonkey.plugins; installed: "
                          f"{', '.join(sorted(available)) or 'none'}")
    check_settings(settings)
    engine = engine_from_app_settings(settings)
    try:
        return upgrade(engine, settings["imagemonkey.plugins"])
    finally:
        engine.dispose()


def bootstrap(settings: dict[str, Any]) -> Any:
    """The app's registry, for commands that work through the app's services and hooks (migrated first, as serve)."""
    from ..app import make_app

    migrate(settings)
    return make_app(dict(settings)).registry
