"""Benchmark (issue 25): does active learning pay? Answers needed to reach a validation mAP of 0.9, uncertainty order
against today's order, on a real labelled image set.

Run from the repository root::

    .venv/bin/python bench/bench_active_learning.py [--seeds 5] [--pool 50] [--exploration 0.2] [--every 50] \
        [--cache /tmp/imagemonkey-digits.pt]

scikit-learn's handwritten digits (1,797 pictures of 8x8 pixels, ten classes, shipped with the package), upscaled
to 64x64 RGB, are embedded once with the playground's EfficientNet-Lite0 backbone; 500 of them (seeded) are the
validation set, the rest the pool a simulated crowd labels, one answer per picture (its true digit). Every order
retrains the playground's head (``train_head``, the site's hyperparameters) after its first 20 answers and then after
every ``--every`` answers. Today's order takes pictures at random (core's random pivot), its 20 first answers the
seed's first 20 pool pictures. The other orders take each answer, with probability ``--exploration``, at random,
otherwise a random one of the ``--pool`` pictures first in their ranking: ``uncertainty`` ranks by how unsure the
current model is (one minus the margin between its two most probable labels,
``imagemonkey_playground.uncertainty.scores``); ``diverse`` spreads that uncertainty over ``--pool`` look-alike
groups of the embeddings (``imagemonkey_playground.diversity.priorities``); both start from today's 20 random
answers (the site's orders before the cold start, kept to compare). ``coldstart`` is ``diverse`` whose first 20
answers follow the cold-start order the site writes before any model exists
(``imagemonkey_playground.coldstart.representativeness``: each look-alike group's most typical picture first), with
the same exploration share and pool; ``dense``, what ``playground.active_learning`` does on the site now, is
``coldstart`` with the uncertainty weighted by each candidate's density among the candidates
(``imagemonkey_playground.diversity.density``, information density). Prints, per seed and order, the answers
needed to reach the target and the learning curve, then each order's ratio to today's and the mean ratios over
seeds (target: at most 0.6). ``--first-seed`` picks other seeds (tune on 10-14, report 0-4); ``--orders`` a
subset of the orders, today's first. ``--cache`` keeps the embeddings in a file between runs (they depend only on
the backbone).
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from common import emitter
from imagemonkey_playground import backbone
from imagemonkey_playground.coldstart import representativeness
from imagemonkey_playground.diversity import density, priorities
from imagemonkey_playground.head import HeadParams, probabilities, train_head
from imagemonkey_playground.metrics import evaluate
from imagemonkey_playground.uncertainty import scores
from PIL import Image
from sklearn.datasets import load_digits

TARGET_MAP = 0.9
TARGET_RATIO = 0.6
START = 20
VALIDATION = 500
LABELS = [f"digit-{d}" for d in range(10)]
ORDERS = ("today", "uncertainty", "diverse", "coldstart", "dense")
COLD_STARTS = ("coldstart", "dense")


def embedded_digits(cache: Path | None) -> tuple[torch.Tensor, torch.Tensor]:
    """(embeddings (N, 1280), one-hot targets (N, 10)) of every digit picture, from ``cache`` when it holds them."""
    if cache is not None and cache.exists():
        saved = torch.load(cache)
        if saved.get("backbone") == backbone.BACKBONE_VERSION:
            return saved["x"], saved["y"]
    digits = load_digits()
    pictures = [Image.fromarray((255 - image * 16).clip(0, 255).astype(np.uint8)).resize((64, 64)).convert("RGB")
                for image in digits.images]
    vectors = torch.cat([backbone.embed(pictures[start:start + 64]) for start in range(0, len(pictures), 64)])
    targets = torch.nn.functional.one_hot(torch.tensor(digits.target), num_classes=10).float()
    if cache is not None:
        torch.save({"backbone": backbone.BACKBONE_VERSION, "x": vectors, "y": targets}, cache)
    return vectors, targets


def ranking(order: str, model: torch.nn.Module | None, x: torch.Tensor, remaining: list[int],
            pool: int) -> list[float]:
    """Each remaining picture's score in ``order`` (higher first); ``model`` None before the first model (the
    cold start of the orders in ``COLD_STARTS``)."""
    vectors = x[remaining].numpy()
    if model is None:
        return representativeness(vectors, pool).tolist()
    uncertainty = np.asarray(scores(probabilities(model, x[remaining])))
    if order == "dense":
        uncertainty = uncertainty * density(vectors)
    if order == "uncertainty":
        return uncertainty.tolist()
    return priorities(uncertainty, vectors, pool).tolist()


def next_answers(order: str, model: torch.nn.Module | None, x: torch.Tensor, remaining: list[int], count: int,
                 rng: random.Random, args: argparse.Namespace) -> list[int]:
    """The next ``count`` pictures the crowd answers, in ``order``."""
    if order == "today":
        return rng.sample(remaining, min(count, len(remaining)))
    ranked = sorted(zip(ranking(order, model, x, remaining, args.pool), remaining, strict=True),
                    reverse=True)
    uncertain = [index for _, index in ranked[:args.pool]]
    picked: list[int] = []
    left = set(remaining)
    while len(picked) < count and left:
        source = [i for i in uncertain if i in left] if rng.random() >= args.exploration else []
        choice = rng.choice(source or sorted(left))
        picked.append(choice)
        left.discard(choice)
    return picked


def run(order: str, seed: int, x: torch.Tensor, y: torch.Tensor, args: argparse.Namespace) -> tuple[int, list]:
    """Answers to reach TARGET_MAP (or the whole pool) and the curve [(answers, mAP)]."""
    rng = random.Random(seed)
    indices = list(range(len(x)))
    rng.shuffle(indices)
    val, pool = indices[:VALIDATION], indices[VALIDATION:]
    order_rng = random.Random(seed * 1000 + (order != "today"))
    if order in COLD_STARTS:  # the site's cold-start order before any model
        answered = next_answers(order, None, x, pool, START, order_rng, args)
        remaining = [i for i in pool if i not in set(answered)]
    else:  # today's order, and the orders without a cold start, start from the same random answers
        answered, remaining = pool[:START], pool[START:]
    curve: list[tuple[int, float]] = []
    while True:
        model = train_head(x[answered], y[answered], x[:0], y[:0], HeadParams(seed=seed))
        value = evaluate(probabilities(model, x[val]), y[val], LABELS)["map"]
        curve.append((len(answered), value))
        if value >= TARGET_MAP or not remaining:
            return len(answered), curve
        chosen = next_answers(order, model, x, remaining, args.every, order_rng, args)
        answered += chosen
        remaining = [i for i in remaining if i not in set(chosen)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--pool", type=int, default=50)
    parser.add_argument("--exploration", type=float, default=0.2)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--first-seed", type=int, default=0, help="seeds first-seed .. first-seed + seeds - 1")
    parser.add_argument("--orders", default=",".join(ORDERS), help="orders to run, today's first")
    parser.add_argument("--cache", type=Path, default=None, help="a file keeping the embeddings between runs")
    args = parser.parse_args()
    emit = emitter("active_learning")
    torch.set_num_threads(2)
    started = time.perf_counter()
    cached = args.cache is not None and args.cache.exists()
    x, y = embedded_digits(args.cache)
    if not cached:
        emit("embedding", round(len(x) / (time.perf_counter() - started), 1), "images/s", images=len(x))
    orders = args.orders.split(",")
    ratios: dict[str, list[float]] = {order: [] for order in orders[1:]}
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        needed = {}
        for order in orders:
            needed[order], curve = run(order, seed, x, y, args)
            emit(f"answers_to_map_{TARGET_MAP}", needed[order], "answers", order=order, seed=seed,
                 curve=[{"answers": a, "map": round(m, 4)} for a, m in curve])
        for order in orders[1:]:
            ratios[order].append(needed[order] / needed["today"])
            emit("ratio", round(ratios[order][-1], 3), f"{order}/today", seed=seed)
    for order in orders[1:]:
        mean = statistics.mean(ratios[order])
        emit("mean_ratio", round(mean, 3), f"{order}/today", seeds=args.seeds, pool=args.pool,
             exploration=args.exploration, every=args.every, target=TARGET_RATIO, met=mean <= TARGET_RATIO)


if __name__ == "__main__":
    main()
