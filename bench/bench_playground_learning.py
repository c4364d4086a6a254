"""Benchmark (issue 12): the playground's learning curve — mAP after training on 25%, 50% and 100% of a fixed set.

Run from the repository root::

    .venv/bin/python bench/bench_playground_learning.py [--pictures 360] [--seed 0]

Builds a fixed labelled set offline from scikit-image's bundled photographs (``imagemonkey_playground.sample``:
twelve classes, small random crops, half of the pictures two crops side by side with both labels), embeds every
picture once with the EfficientNet-Lite0 backbone (the cache the plugin keeps per image), then trains the head on
the first 25%, 50% and 100% of the training split (a seeded order) and evaluates each on the whole, unchanged
validation split (the plugin's split by image id). Prints mAP and the wall time of each training, and whether mAP
rose at each step (the target).
"""
from __future__ import annotations

import argparse
import random
import time

import torch
from common import emitter
from imagemonkey_playground import backbone, sample, split, training


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=360)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    emit = emitter("playground_learning")
    torch.set_num_threads(2)
    labels = list(sample.SOURCES)
    pictures = sample.build(args.pictures, seed=args.seed, labels=labels, pair_share=0.5, scale=(0.12, 0.4))
    examples = [(index + 1, names) for index, (_, names) in enumerate(pictures)]
    started = time.perf_counter()
    vectors = backbone.embed([backbone.decode(data) for data, _ in pictures])
    emit("embedding", round(len(pictures) / (time.perf_counter() - started), 1), "images/s", images=len(pictures))
    cache = dict(zip((image_id for image_id, _ in examples), vectors, strict=True))

    def embed(ids: list[int]) -> torch.Tensor:
        return torch.stack([cache[i] for i in ids]) if ids else torch.empty(0, backbone.FEATURES)

    train_part = [e for e in examples if split.split_of(e[0]) == "train"]
    val_part = [e for e in examples if split.split_of(e[0]) == "val"]
    random.Random(args.seed).shuffle(train_part)
    previous = None
    rising = True
    for percent in (25, 50, 100):
        subset = train_part[: len(train_part) * percent // 100] + val_part
        result = training.train(subset, labels, embed)
        value = result.metrics["map"]
        emit(f"map_{percent}pct", value, "mAP", train_images=result.metrics["train_images"],
             val_images=result.metrics["images"], labels=len(labels))
        emit(f"train_seconds_{percent}pct", round(result.seconds, 3), "s")
        rising = rising and (previous is None or value > previous)
        previous = value
    emit("map_rises", rising, "bool", target=True)


if __name__ == "__main__":
    main()
