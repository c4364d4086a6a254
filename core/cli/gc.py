"""``imagemonkey gc``: delete blobs that no image row references."""
from __future__ import annotations

import argparse
import time
from collections.abc import Iterable, Iterator

from sqlalchemy import or_, select

from .common import add_data_options, bootstrap, load_settings

CHUNK = 500


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``gc`` subcommand."""
    parser = subparsers.add_parser("gc", help="remove image files no row references",
                                   description="Finds unreferenced blobs, waits --grace seconds so uploads in flight "
                                               "can commit, checks again, then deletes.")
    parser.add_argument("--grace", type=float, default=60.0, help="seconds between the two checks (default 60)")
    parser.add_argument("--dry-run", action="store_true", help="only report")
    add_data_options(parser)
    parser.set_defaults(func=run)


def chunks(keys: Iterable[str]) -> Iterator[list[str]]:
    """``keys`` in lists of at most CHUNK."""
    batch: list[str] = []
    for key in keys:
        batch.append(key)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def unreferenced(registry: object, keys: Iterable[str]) -> list[str]:
    """The keys no live (not removed) image refers to and no plugin uses (``imagemonkey_blobs_in_use``)."""
    from ..models import Image
    from ..scripting import app_request

    orphans: list[str] = []
    with app_request(registry) as request:
        for batch in chunks(keys):
            used: set[str] = set()
            for row in request.dbsession.execute(
                    select(Image.original_key, Image.medium_key, Image.thumb_key).where(
                        Image.status != "removed",
                        or_(Image.original_key.in_(batch), Image.medium_key.in_(batch), Image.thumb_key.in_(batch)))):
                used.update(row)
            rest = [key for key in batch if key not in used]
            for kept in request.registry.pm.hook.imagemonkey_blobs_in_use(request=request, keys=rest) if rest else []:
                used.update(kept or [])
            orphans.extend(key for key in batch if key not in used)
    return orphans


def run(args: argparse.Namespace) -> int:
    """Two checks a grace period apart, then delete."""
    registry = bootstrap(load_settings(args))
    store = registry["blobstore"]
    candidates = unreferenced(registry, store.keys())
    if candidates and not args.dry_run:
        time.sleep(args.grace)
        candidates = unreferenced(registry, candidates)
        for key in candidates:
            store.delete(key)
    print(f"{'would remove' if args.dry_run else 'removed'} {len(candidates)} unreferenced blobs")
    return 0
