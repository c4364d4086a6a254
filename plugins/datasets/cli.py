"""``imagemonkey datasets release|list``: build a release here (with a progress bar) or queue it; list releases."""
from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy import select

from imagemonkey.plugin import ApiError, CliCommand, app_request, enqueue_job

from .build import build_release
from .formats import FORMATS
from .models import Release
from .releases import create_release, release_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``release [--version V] [--query Q] [--formats coco voc ...] [--include-unverified] [--queue]`` or ``list``."""
    parser.add_argument("action", choices=["release", "list", "add-format"],
                        help="release: build one; list: every release; add-format: write --formats FORMAT of --version")
    parser.add_argument("--version", dest="release_version", help="the release's version (default: today's date)")
    parser.add_argument("--query", help="release only the images matching this query (docs/query.md)")
    parser.add_argument("--formats", nargs="+", help="archive formats (default: datasets.formats)")
    parser.add_argument("--include-unverified", action="store_true",
                        help="also labels the crowd has not verified (recorded in the dataset card)")
    parser.add_argument("--queue", action="store_true", help="only queue the datasets.build job for a worker")


def _list(registry: Any) -> int:
    with app_request(registry) as request:
        for release in request.dbsession.scalars(select(Release).order_by(Release.id.desc())):
            doc = release_json(request, release)
            print(f"{doc['version']} r{doc['revision']} {doc['status']} {doc['counts']} {doc['digest'] or ''}")
    return 0


def _add_format(registry: Any, args: argparse.Namespace) -> int:
    from .add_format import add_format

    if not args.release_version or not args.formats or len(args.formats) != 1:
        print("error: add-format needs --version V and --formats FORMAT (one)")
        return 2
    with app_request(registry) as request:
        release = request.dbsession.scalar(select(Release).where(Release.version == args.release_version,
                                                                 Release.status == "ready"))
        release_id = release.id if release is not None else None
    if release_id is None or args.formats[0] not in FORMATS:
        print(f"error: no ready release {args.release_version}, or unknown format {args.formats[0]}")
        return 2
    print(json.dumps(add_format(registry, release_id, args.formats[0], lambda share, message=None: None)))
    return 0


def run(args: argparse.Namespace, registry: Any) -> int:
    """Build (or queue) a release and print it; 2 for bad input, 1 when the build failed."""
    if args.action == "list":
        return _list(registry)
    if args.action == "add-format":
        return _add_format(registry, args)
    from tqdm import tqdm

    try:
        with app_request(registry) as request:
            release = create_release(request, version=args.release_version, query=args.query, formats=args.formats,
                                     include_unverified=args.include_unverified)
            if args.queue:
                release.job_id = enqueue_job(request, "datasets.build", release_id=release.id)
            release_id, version, job_id = release.id, release.version, release.job_id
    except ApiError as error:
        print(f"error: {error.message}")
        return 2
    if args.queue:
        print(f"queued release {version} (job {job_id})")
        return 0
    with tqdm(total=100, unit="%", desc=f"release {version}") as bar:
        def progress(share: float, message: str | None = None) -> None:
            bar.set_postfix_str(message or "")
            bar.update(round(share * 100) - bar.n)

        try:
            result = build_release(registry, release_id, progress)
        except Exception as error:  # recorded on the release by build_release
            print(f"release {version} failed: {error}")
            return 1
        bar.update(100 - bar.n)
    print(json.dumps({"version": version, **result}))
    return 0


COMMAND = CliCommand("datasets", "Build a dataset release (archives, card, Croissant, citation) or list releases.",
                     add_arguments, run)
