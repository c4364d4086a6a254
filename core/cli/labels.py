"""``imagemonkey labels check DIR`` and ``imagemonkey labels sync``."""
from __future__ import annotations

import argparse
import sys

from ..labels.catalog import CatalogError, load_catalog
from .common import add_data_options, bootstrap, load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``labels`` subcommand."""
    parser = subparsers.add_parser("labels", help="check the label catalog, turn suggestions into labels")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate a directory of label JSON files (for CI on pull requests)")
    check.add_argument("directory")
    check.set_defaults(func=run_check)
    sync = actions.add_parser("sync", help="give images the real label for suggestions the catalog now has")
    add_data_options(sync)
    sync.set_defaults(func=run_sync)


def run_check(args: argparse.Namespace) -> int:
    """Exit 0 when the catalog is valid (names, words and the graph: known names, no cycles, scenes apart), with a
    summary of its graph; 1 with the file and key named otherwise."""
    try:
        catalog = load_catalog(args.directory)
    except CatalogError as exc:
        print(f"invalid label catalog: {exc}", file=sys.stderr)
        return 1
    entries = catalog.by_name.values()
    print(f"ok: {len(catalog.labels)} labels, {len(catalog.by_name)} with sublabels, version {catalog.version}; "
          f"graph: {sum(len(label.is_a) for label in entries)} is_a and "
          f"{sum(len(label.part_of) for label in entries)} part_of links, no cycles, "
          f"{sum(label.scene for label in entries)} scene labels")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    """Resolve suggestions against the configured catalog."""
    from ..scripting import app_request
    from ..services.suggestions import sync_suggestions

    registry = bootstrap(load_settings(args))
    with app_request(registry) as request:
        result = sync_suggestions(request)
    print(f"resolved {result['suggestions']} suggestions into {result['labels']} image labels")
    return 0
