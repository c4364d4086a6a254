"""``imagemonkey db upgrade``: migrate core, then each enabled plugin."""
from __future__ import annotations

import argparse

from .common import add_data_options, load_settings, migrate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``db`` subcommand."""
    parser = subparsers.add_parser("db", help="database migrations")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="migrate core, then each enabled plugin, to the newest schema")
    add_data_options(upgrade)
    upgrade.set_defaults(func=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    """Run the migrations and say which owners were migrated."""
    owners = migrate(load_settings(args))
    print("migrated: " + ", ".join(owners))
    return 0
