"""``imagemonkey playground train``: queue a version and train it here with a progress bar (or only queue it)."""
from __future__ import annotations

import argparse
from typing import Any

from imagemonkey.plugin import CliCommand, app_request, enqueue_job

from . import registry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``train [--queue]``."""
    parser.add_argument("action", choices=["train"], help="train: a new model version now, with a progress bar")
    parser.add_argument("--queue", action="store_true", help="only queue the playground.train job for a worker")


def run(args: argparse.Namespace, app_registry: Any) -> int:
    """Train (or queue) a new version; prints its number, status and mAP; 1 when the training failed."""
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


COMMANDS = [CliCommand("playground", "the playground's model: imagemonkey playground train [--queue]",
                       add_arguments, run)]
