"""``imagemonkey db upgrade``: migrate core, then each enabled plugin; ``db revision``: a plugin's new migration."""
from __future__ import annotations

import argparse

from ..plugins import PluginError, installed_plugins
from .common import add_data_options, load_settings, migrate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``db`` subcommand."""
    parser = subparsers.add_parser("db", help="database migrations")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="migrate core, then each enabled plugin, to the newest schema")
    add_data_options(upgrade)
    upgrade.set_defaults(func=run_upgrade)
    revision = actions.add_parser("revision", help="write a new migration into a plugin's own lineage")
    revision.add_argument("--plugin", required=True, metavar="NAME", help="the installed plugin whose lineage grows")
    revision.add_argument("-m", "--message", required=True, help="what the migration does (also its file name)")
    revision.add_argument("--autogenerate", action="store_true",
                          help="compare the plugin's tables with the database (migrated to head first by "
                               "`imagemonkey db upgrade`) and write the difference")
    add_data_options(revision, plugins=False)
    revision.set_defaults(func=run_revision)


def run_upgrade(args: argparse.Namespace) -> int:
    """Run the migrations and say which owners were migrated."""
    owners = migrate(load_settings(args))
    print("migrated: " + ", ".join(owners))
    return 0


def run_revision(args: argparse.Namespace) -> int:
    """Write the plugin's new revision and print its path."""
    from ..db.engine import engine_from_app_settings
    from ..db.migrate import new_revision
    from ..settings import normalize_settings

    if args.plugin not in installed_plugins():
        raise PluginError(f"plugin {args.plugin!r} is not installed; installed: "
                          f"{', '.join(sorted(installed_plugins())) or 'none'}")
    engine = engine_from_app_settings(normalize_settings(load_settings(args)))
    try:
        print(new_revision(engine, args.plugin, args.message, autogenerate=args.autogenerate))
    finally:
        engine.dispose()
    return 0
