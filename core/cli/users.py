"""``imagemonkey user add NAME --role moderator``: accounts with a password read from a prompt or stdin."""
from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select

from ..models.contributor import ROLES
from .common import add_data_options, bootstrap, load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``user`` subcommand."""
    parser = subparsers.add_parser("user", help="manage accounts")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account (or set its role and password if it exists)",
                             description="The password is read from a prompt, or from stdin when it is not a "
                                         "terminal (one line).")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="contributor")
    add_data_options(add, plugins=True)
    add.set_defaults(func=run_add)


def read_password() -> str:
    """A password from a prompt (asked twice) or the first line of stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise ValueError("the passwords differ")
        password = first
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        raise ValueError("the password must have at least 8 characters")
    return password


def run_add(args: argparse.Namespace) -> int:
    """Create or update the account."""
    from ..auth import hash_password
    from ..models import Contributor
    from ..scripting import app_request

    password = read_password()
    registry = bootstrap(load_settings(args))
    with app_request(registry) as request:
        account = request.dbsession.scalar(select(Contributor).where(Contributor.name == args.name))
        created = account is None
        if created:
            account = Contributor(kind="account", name=args.name)
            request.dbsession.add(account)
        account.role = args.role
        account.password_hash = hash_password(password)
    print(f"{'created' if created else 'updated'} account {args.name!r} with role {args.role}")
    return 0
