"""``imagemonkey plugin new NAME [--directory DIR]``: start a plugin from core's template."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..plugin_kit import new_plugin
from ..plugins import installed_plugins


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``plugin`` subcommand."""
    parser = subparsers.add_parser("plugin", help="tools for plugin authors")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    new = actions.add_parser("new", help="write a working plugin distribution (route, page slot, setting, "
                                         "migrations, tests, README) to start from")
    new.add_argument("name", help="the plugin's name: lower-case letters, digits and _")
    new.add_argument("--directory", type=Path, help="where to write it (default: ./imagemonkey-NAME); must be new "
                                                   "or empty")
    new.set_defaults(func=run_new)


def run_new(args: argparse.Namespace) -> int:
    """Write the plugin and say what to do next."""
    directory = args.directory or Path(f"imagemonkey-{args.name.replace('_', '-')}")
    written = new_plugin(args.name, directory, set(installed_plugins()))
    print(f"wrote {len(written)} files of plugin {args.name!r} into {directory}")
    print(f"next: pip install -e {directory} && (cd {directory} && pytest -q)")
    return 0
