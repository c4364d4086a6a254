"""``imagemonkey plugins``: what is installed and what is enabled, with versions."""
from __future__ import annotations

import argparse

from ..plugins import installed_plugins, plugin_version
from ..settings import as_list
from .common import add_data_options, load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``plugins`` subcommand."""
    parser = subparsers.add_parser("plugins", help="list installed and enabled plugins")
    add_data_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print one line per installed plugin."""
    enabled = as_list(load_settings(args).get("imagemonkey.plugins", ""))
    for name, entry_point in sorted(installed_plugins().items()):
        state = "enabled" if name in enabled else "installed"
        print(f"{name:<16} {plugin_version(entry_point):<10} {state:<10} {entry_point.value}")
    return 0
