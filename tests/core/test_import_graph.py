"""Core's import graph reads top to bottom: no module reaches itself again through its own imports."""
from __future__ import annotations

import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """Core's import graph, type-checking imports included (they are imports to a reader and to tools)."""
    return grimp.build_graph("imagemonkey", cache_dir=None)


@pytest.mark.parametrize("module", ["imagemonkey.hookspecs", "imagemonkey.plugins", "imagemonkey.plugin_types",
                                    "imagemonkey.jobs.spec", "imagemonkey.cli.plugin_commands"])
def test_the_plugin_machinery_is_in_no_circle(graph: grimp.ImportGraph, module: str) -> None:
    circles = [chain for imported in graph.find_modules_directly_imported_by(module)
               if (chain := graph.find_shortest_chain(importer=imported, imported=module))]
    assert circles == []


def test_the_shared_types_import_nothing_from_core(graph: grimp.ImportGraph) -> None:
    assert graph.find_modules_directly_imported_by("imagemonkey.plugin_types") == set()


def test_the_stable_api_still_offers_the_shared_types() -> None:
    from imagemonkey import plugin, plugin_types
    from imagemonkey.cli.plugin_commands import CliCommand
    from imagemonkey.jobs import JobSpec
    from imagemonkey.plugins import PluginError

    assert plugin.CliCommand is CliCommand is plugin_types.CliCommand
    assert plugin.JobSpec is JobSpec is plugin_types.JobSpec
    assert plugin.PluginError is PluginError is plugin_types.PluginError
