"""The ``imagemonkey`` command line: serve, worker, db, labels, user, plugins, plugin, dataset, gc, stats, and
plugin commands."""
from __future__ import annotations

import argparse
import logging
import sys
from importlib import import_module

COMMAND_MODULES = ["serve", "worker", "db", "labels", "users", "plugins", "plugin", "dataset", "gc", "stats"]


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand registered by its module."""
    parser = argparse.ArgumentParser(prog="imagemonkey", description="ImageMonkey: a crowdsourced, open image dataset.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(f"imagemonkey.cli.{name}").register(subparsers)
    parser.set_defaults(core_commands=sorted(subparsers.choices))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    core_commands = parser.get_default("core_commands")
    try:
        if argv and not argv[0].startswith("-") and argv[0] not in core_commands:
            from .plugin_commands import run_plugin_command

            return run_plugin_command(argv, core_commands)
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except Exception as exc:  # every command reports a readable error instead of a traceback
        from ..labels.catalog import CatalogError
        from ..plugins import PluginError

        if isinstance(exc, (PluginError, CatalogError, ValueError, FileNotFoundError)):
            print(f"imagemonkey: error: {exc}", file=sys.stderr)
            return 2
        raise
