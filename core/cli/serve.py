"""``imagemonkey serve``: migrate if needed and serve with waitress."""
from __future__ import annotations

import argparse

from .common import add_data_options, load_settings, migrate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` subcommand."""
    parser = subparsers.add_parser("serve", help="serve the app with waitress",
                                   description="Serve ImageMonkey. Without --config it uses the embedded default: "
                                               "SQLite and image files under --data-dir, created and migrated.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6543)
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads (default 8)")
    parser.add_argument("--connection-limit", type=int, default=900,
                        help="open client connections waitress serves at once (default 900; waitress's own is 100; "
                             "select() allows file descriptors below 1024)")
    add_data_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Migrate, build the app and serve it until interrupted."""
    import waitress

    from ..app import make_app

    settings = load_settings(args)
    migrate(settings)
    app = make_app(settings)
    max_body = int(app.registry.settings["imagemonkey.max_upload_bytes"]) + 1024 * 1024
    print(f"ImageMonkey serving on http://{args.host}:{args.port} "
          f"(plugins: {' '.join(app.registry.settings['imagemonkey.plugins']) or 'none'})", flush=True)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, max_request_body_size=max_body,
                   connection_limit=args.connection_limit,
                   ident="imagemonkey", clear_untrusted_proxy_headers=True)
    return 0
