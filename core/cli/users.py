"""``imagemonkey user add NAME --role moderator`` (password from a prompt or stdin), ``user block|unblock NAME``."""
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
    for action, words in (("block", "block an account: its tokens stop at once, it cannot log in"),
                          ("unblock", "lift an account's block")):
        command = actions.add_parser(action, help=words)
        command.add_argument("name")
        add_data_options(command, plugins=True)
        command.set_defaults(func=run_block, blocked=action == "block")


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


def run_block(args: argparse.Namespace) -> int:
    """Block or unblock the account (every serving process drops its cached identities through the shared state)."""
    from ..errors import ApiError
    from ..scripting import app_request
    from ..services.account_lifecycle import set_blocked

    registry = bootstrap(load_settings(args))
    try:
        with app_request(registry) as request:
            set_blocked(request, args.name, args.blocked)
    except ApiError as error:
        print(f"no account {args.name!r}: {error.message}", file=sys.stderr)
        return 1
    print(f"{'blocked' if args.blocked else 'unblocked'} account {args.name!r}")
    return 0
