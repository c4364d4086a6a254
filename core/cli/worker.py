"""``imagemonkey worker``: huey consumers for the app's job queue, on this machine or any other."""
from __future__ import annotations

import argparse

from .common import add_data_options, load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``worker`` subcommand."""
    parser = subparsers.add_parser(
        "worker", help="run background jobs from the queue (imagemonkey.jobs)",
        description="Run huey consumer threads for the app's job queue until interrupted. With "
                    "imagemonkey.jobs = redis://host:port/db, start one on as many machines as you like (same "
                    "config, same database). The embedded SQLite queue is consumed by `imagemonkey serve` itself; "
                    "beside `pserve` (no consumer), run this on the same data dir. "
                    "The database must be migrated already (`imagemonkey db upgrade`).")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="consumer threads (default: imagemonkey.jobs.workers, else 1)")
    parser.add_argument("--no-periodic", action="store_true",
                        help="do not schedule periodic jobs here (run them on one machine only)")
    add_data_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the app (no migration: other machines may serve it) and consume its queue until SIGINT/SIGTERM."""
    from ..app import make_app
    from ..jobs.consumer import make_consumer
    from ..jobs.lease import LeaseKeeper
    from ..jobs.queue import job_queue
    from ..jobs.sender import resend_unsent

    app = make_app(load_settings(args))
    queue = job_queue(app.registry)
    if queue.huey.immediate:
        raise ValueError("imagemonkey.jobs = immediate runs jobs inline; there is no queue for a worker")
    workers = args.workers if args.workers is not None else max(queue.workers, 1)
    if not 1 <= workers <= 64:
        raise ValueError("--workers must be between 1 and 64")
    print(f"ImageMonkey worker: {workers} thread(s) on {type(queue.huey).__name__}, jobs: "
          f"{' '.join(sorted(queue.specs)) or 'none'}", flush=True)
    resend_unsent(queue)  # jobs committed by a process that died before sending their messages
    keeper = LeaseKeeper(queue).start()  # renews this worker's leases; recovers jobs of workers that died
    try:
        make_consumer(queue, workers, periodic=not args.no_periodic).run()
    finally:
        keeper.stop()
    released = queue.release_running("the worker stopped while the job ran")
    if released:
        print(f"jobs {released} were still running; they are queued again", flush=True)
    return 0
