"""``imagemonkey playground train``: queue a version and train it here with a progress bar (or only queue it);
``imagemonkey playground index update|rebuild``: bring the similar-pictures index up to date, or build it again;
``imagemonkey playground duplicates``: file newly indexed pictures' near duplicates for moderators."""
from __future__ import annotations

import argparse
from typing import Any

from imagemonkey.plugin import CliCommand, app_request, enqueue_job

from . import registry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``train [--queue]``, ``index update|rebuild [--queue]``, ``duplicates [--queue]``."""
    parser.add_argument("action", choices=["train", "index", "duplicates"],
                        help="train: a new model version now, with a progress bar; index: the similar-pictures index; "
                             "duplicates: cluster newly indexed pictures with their near duplicates")
    parser.add_argument("how", nargs="?", choices=["update", "rebuild"],
                        help="index only: update (embed new public pictures, add new embeddings) or rebuild")
    parser.add_argument("--queue", action="store_true", help="only queue the job for a worker")


def run_index(args: argparse.Namespace, app_registry: Any) -> int:
    """``index update|rebuild``: here, or queued; prints what was done."""
    from .similar_jobs import REBUILD, UPDATE, refresh

    if args.how is None:
        print("index needs update or rebuild")
        return 2
    if args.queue:
        with app_request(app_registry) as request:
            job_id = enqueue_job(request, REBUILD if args.how == "rebuild" else UPDATE)
        print(f"queued (job {job_id})")
        return 0
    result = refresh(lambda: app_request(app_registry), rebuild=args.how == "rebuild")
    print(f"{args.how}: embedded {result['embedded']} picture(s), added {result['added']}, "
          f"{result['size']} in the index of {result['backbone']}")
    return 0


def run_duplicates(args: argparse.Namespace, app_registry: Any) -> int:
    """``duplicates``: here, or queued; prints what was done."""
    from .duplicates import JOB, find_duplicates

    if args.queue:
        with app_request(app_registry) as request:
            print(f"queued (job {enqueue_job(request, JOB)})")
        return 0
    result = find_duplicates(lambda: app_request(app_registry))
    print(f"duplicates: scanned {result['scanned']} picture(s), {result['pairs']} near pair(s), "
          f"{result['filed']} filed in clusters")
    return 0


def run(args: argparse.Namespace, app_registry: Any) -> int:
    """Train (or queue) a new version; prints its number, status and mAP; 1 when the training failed."""
    if args.action == "index":
        return run_index(args, app_registry)
    if args.action == "duplicates":
        return run_duplicates(args, app_registry)
    from tqdm import tqdm

    from .runner import run_training  # torch: loaded only to train here

    with app_request(app_registry) as request:
        model = registry.queue_version(request.dbsession)
        model_id, version = model.id, model.version
        if args.queue:
            job_id = enqueue_job(request, "playground.train", model_id=model_id)
    if args.queue:
        print(f"queued version {version} (job {job_id})")
        return 0
    with tqdm(total=100, unit="%", desc=f"version {version}") as bar:
        def progress(share: float, message: str) -> None:
            bar.set_postfix_str(message)
            bar.update(round(share * 100) - bar.n)

        try:
            result = run_training(lambda: app_request(app_registry), model_id, progress)
        except Exception as error:  # recorded on the version by run_training
            print(f"version {version} failed: {error}")
            return 1
    print(f"version {result['version']}: {result['status']}, mAP {result['map']}")
    return 0


COMMANDS = [CliCommand("playground",
                       "the playground: imagemonkey playground train [--queue] | index update|rebuild [--queue] | "
                       "duplicates [--queue]",
                       add_arguments, run)]
