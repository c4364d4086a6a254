"""``imagemonkey stats verify [--repair]``: recount every statistics counter from the tables."""
from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import text

from .common import add_data_options, bootstrap, load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``stats`` subcommand."""
    parser = subparsers.add_parser("stats", help="check (and repair) the statistics counters")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify", help="recount every counter (core's and the enabled plugins') and print the differences",
        description="Exits 0 when every counter matches its tables, 1 when any differs (after --repair too, "
                    "so a repair shows in the exit status).")
    verify.add_argument("--repair", action="store_true", help="write the recounted values")
    add_data_options(verify)
    verify.set_defaults(func=run_verify)


def check_counters(registry: Any, *, repair: bool = False) -> list[Any]:
    """Every drift of the app's counters, read in one snapshot (REPEATABLE READ on PostgreSQL, so concurrent
    writes neither show as drift nor get overwritten by a repair: such a repair fails and can be run again)."""
    from ..scripting import app_request
    from ..services.recount import collect, verify

    counters = collect(registry)
    with app_request(registry) as request:
        dbsession = request.dbsession
        if dbsession.get_bind().dialect.name == "postgresql":
            dbsession.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        return verify(dbsession, counters, repair=repair)


def run_verify(args: argparse.Namespace) -> int:
    """Print each difference; exit 1 when there is any."""
    drifts = check_counters(bootstrap(load_settings(args)), repair=args.repair)
    for drift in drifts:
        print(drift)
    if not drifts:
        print("every statistics counter matches its tables")
        return 0
    print(f"{len(drifts)} counter values differ from their tables" + ("; repaired" if args.repair else
                                                                     "; run with --repair to fix them"))
    return 1
