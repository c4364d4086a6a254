"""``imagemonkey serve``: migrate if needed and serve with waitress."""
from __future__ import annotations

import argparse
import errno
import sys

from .common import add_data_options, load_settings, migrate

#: waitress 3 lets a task thread send its own small writes (send_bytes=1): while it waits for
#: the GIL after that send, the main loop sees the channel writable and spins (150+ empty
#: select() rounds per POST), taking the GIL from the very thread it waits on. Buffering
#: up to 18,000 bytes (waitress 2's default) hands small responses to the main loop once the
#: task is done: label-suggestion POSTs went from ~340 to ~450 req/s with 8 connections.
SEND_BYTES = 18000


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
    parser.add_argument("--max-connections-per-address", type=int, default=None,
                        help="open connections one client address may hold (default: a third of --connection-limit; "
                             "behind a reverse proxy, where every connection is the proxy's, set it to the limit)")
    parser.add_argument("--header-timeout", type=float, default=10.0,
                        help="seconds a request's headers may take to arrive (default 10)")
    parser.add_argument("--min-body-rate", type=int, default=16384,
                        help="bytes/s a request body must arrive at in every window of --header-timeout seconds "
                             "(or bring the rest of the body in that window; default 16384)")
    parser.add_argument("--max-unfinished-bodies", type=int, default=None,
                        help="connections whose request body is still arriving, in all (default: a quarter of "
                             "--connection-limit); one more is answered 503 once its headers are in")
    parser.add_argument("--max-unfinished-bodies-per-address", type=int, default=None,
                        help="connections whose request body is still arriving, per client address (default: a "
                             "third of --max-unfinished-bodies)")
    parser.add_argument("--no-guard", action="store_true",
                        help="serve with plain waitress, without the per-address and slow-request guards "
                             "(for before/after benchmarks only)")
    add_data_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Migrate, build the app, listen, and serve (with the embedded job consumer) until interrupted or terminated.

    "serving on" is printed once the port listens; a port that cannot be had is one line on stderr, exit 1.
    """
    import signal
    import warnings

    from ..app import make_app
    from ..declared_settings import get_setting
    from ..jobs.consumer import start_embedded_consumer, stop_embedded_consumer
    from ..jobs.queue import job_queue
    from ..jobs.sender import resend_unsent
    from ..server import Guard, create_server, default_bodies, default_per_address

    settings = load_settings(args)
    migrate(settings)
    app = make_app(settings)
    # Above the app's own cap, so the app answers an upload over it (JSON 413, before reading the body);
    # waitress's own 413 (made JSON by the guard) is for bodies far beyond it.
    max_body = 2 * int(app.registry.settings["imagemonkey.max_upload_bytes"]) + 1024 * 1024
    per_address = args.max_connections_per_address
    bodies, bodies_per_address = default_bodies(args.connection_limit)
    if args.max_unfinished_bodies is not None:
        bodies, bodies_per_address = args.max_unfinished_bodies, max(1, args.max_unfinished_bodies // 3)
    if args.max_unfinished_bodies_per_address is not None:
        bodies_per_address = args.max_unfinished_bodies_per_address
    guard = None if args.no_guard else Guard(
        max_per_address=default_per_address(args.connection_limit) if per_address is None else per_address,
        header_timeout=args.header_timeout, min_body_rate=max(1, args.min_body_rate),
        max_bodies=bodies, max_bodies_per_address=bodies_per_address)
    trust_forwarded_for = get_setting(app.registry, "imagemonkey.trust_forwarded_for")
    warnings.filterwarnings("ignore", "send_bytes will be removed", DeprecationWarning)
    try:
        server = create_server(app, guard, host=args.host, port=args.port, threads=args.threads,
                               max_request_body_size=max_body, connection_limit=args.connection_limit,
                               send_bytes=SEND_BYTES, ident="imagemonkey",
                               # waitress drops X-Forwarded-For unless told to keep it; the app reads it (last address)
                               clear_untrusted_proxy_headers=not trust_forwarded_for,
                               channel_timeout=60, asyncore_use_poll=True)
    except OSError as exc:
        print(f"imagemonkey: error: {listen_error(args.host, args.port, exc)}", file=sys.stderr, flush=True)
        return 1
    print(f"ImageMonkey serving on http://{args.host}:{server.effective_port} "
          f"(plugins: {' '.join(app.registry.settings['imagemonkey.plugins']) or 'none'})", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # waitress ends on KeyboardInterrupt; SIGTERM too
    queue = job_queue(app.registry)
    if queue.sender is not None:
        resend_unsent(queue)  # jobs committed by a process that died before sending their messages
    consumer = start_embedded_consumer(queue)
    try:
        server.run()  # returns on KeyboardInterrupt (Ctrl-C, SIGTERM)
    finally:
        server.close()
        if queue.sender is not None:
            queue.sender.stop()  # the messages of the last requests' jobs go out before the consumer stops
        if consumer is not None:
            stop_embedded_consumer(queue, consumer)
    return 0


def listen_error(host: str, port: int, exc: OSError) -> str:
    """One line saying why ``host:port`` cannot be listened on."""
    if exc.errno == errno.EADDRINUSE:
        return (f"{host}:{port} is already in use (is another server running there?); stop it or choose "
                f"another --port")
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
