"""Plugin subcommands: ``imagemonkey <name> ...`` for a :class:`CliCommand` from ``imagemonkey_cli_commands``."""
from __future__ import annotations

import argparse
from typing import Any

from ..plugin_types import CliCommand, PluginError
from ..plugins import collect_hook
from .common import add_data_options, bootstrap, load_settings

__all__ = ["CliCommand", "plugin_commands", "run_plugin_command"]


def plugin_commands(registry: Any, reserved: list[str]) -> dict[str, CliCommand]:
    """The enabled plugins' commands by name; PluginError on a duplicate or on a core command's name."""
    commands = collect_hook(registry, "imagemonkey_cli_commands", lambda command: command.name, "CLI command")
    for command in commands:
        if command.name in reserved:
            raise PluginError(f"a plugin declares CLI command {command.name!r}, which is a core command")
    return {command.name: command for command in commands}


def run_plugin_command(argv: list[str], reserved: list[str]) -> int:
    """Build the app from the data options in ``argv[1:]``, then run plugin command ``argv[0]``."""
    name = argv[0]
    data = argparse.ArgumentParser(add_help=False)
    add_data_options(data)
    known, _ = data.parse_known_args(argv[1:])
    registry = bootstrap(load_settings(known))
    commands = plugin_commands(registry, reserved)
    if name not in commands:
        raise PluginError(f"unknown command {name!r}; core commands: {', '.join(reserved)}; plugin commands: "
                          f"{', '.join(sorted(commands)) or 'none'}")
    command = commands[name]
    parser = argparse.ArgumentParser(prog=f"imagemonkey {name}", description=command.help)
    add_data_options(parser)
    command.add_arguments(parser)
    add_data_options_to_subcommands(parser)
    return int(command.run(parser.parse_args(argv[1:]), registry) or 0)


def add_data_options_to_subcommands(parser: argparse.ArgumentParser) -> None:
    """The data options on every subcommand a command added (at any depth), so they may follow its name too."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                add_data_options(subparser, defaults=False)
                add_data_options_to_subcommands(subparser)
