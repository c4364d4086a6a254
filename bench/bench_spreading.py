"""Benchmark (issue 25): does spreading pay? Answers per verified label added through look-alike grids, against the
playground's model suggestions and against random questions, on a real labelled image set.

Run from the repository root::

    .venv/bin/python bench/bench_spreading.py [--seeds 3] [--answers 600] [--start 0.05] [--k 10] \
        [--max-distance 0.5] [--sources spread,model,random] [--cache /tmp/imagemonkey-digits.pt]

scikit-learn's handwritten digits (1,797 pictures, ten classes), upscaled and embedded once with the playground's
EfficientNet-Lite0 backbone (``bench_active_learning.embedded_digits``; ``--cache`` keeps the embeddings). Each
picture's one true label is its digit. A seeded ``--start`` share of the pictures carries its label, verified; the
others carry none. A simulated crowd answers ``--answers`` questions truthfully, one answer settling a question,
under three question sources:

* ``spread``: what ``playground.spread`` does: each verified label asks about the ``--k`` nearest pictures by
  cosine distance of the embeddings (exact search; the site's index has recall@10 >= 0.95), those within
  ``--max-distance`` that lack the label and were not asked about it; those questions are answered grid by grid,
  oldest verified label first. A "yes" adds the label, which then spreads in its turn (on the site the added label
  is verified by its own votes first; the simulation counts the crowd's "yes" as that verification).
* ``model``: the playground's model suggestions: the head (``train_head``, the site's hyperparameters) is trained on
  the verified labels and retrained after every ``--every`` answers; each picture's labels it lacks with probability
  >= 0.9 (``playground.suggest_threshold``) that were not asked before are the questions, in random order.
* ``random``: a random picture and a random label it lacks ("Is there a digit-3 in this picture?").

Prints per seed and source the answers, the labels added, the yes-rate and the answers per label added, then the
means over seeds. Time: a grid tile is counted as one question (the issue's assumption; a grid of ten is ten
answers), at ``SECONDS_PER_ANSWER`` seconds each, so answers per minute are the same for every source and labels
added per minute follow the yes-rate.
"""
from __future__ import annotations

import argparse
import random
import statistics
from collections import deque
from pathlib import Path

import numpy as np
import torch
from bench_active_learning import embedded_digits
from common import emitter
from imagemonkey_playground.head import HeadParams, probabilities, train_head

SECONDS_PER_ANSWER = 3.0
THRESHOLD = 0.9
CLASSES = 10


class World:
    """Pictures, their true digits, the verified labels and the questions asked so far."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor, start: float, rng: random.Random) -> None:
        self.x = x
        self.truth = y.argmax(1).tolist()
        unit = x.numpy() / np.linalg.norm(x.numpy(), axis=1, keepdims=True)
        self.unit = unit.astype(np.float32)
        seeded = rng.sample(range(len(x)), max(CLASSES, round(start * len(x))))
        self.labels: set[tuple[int, int]] = {(i, self.truth[i]) for i in seeded}
        self.initial = list(self.labels)
        self.asked: set[tuple[int, int]] = set(self.labels)
        self.answers = 0
        self.added = 0

    def answer(self, question: tuple[int, int]) -> bool:
        """The crowd answers ``(picture, label)`` truthfully; a yes adds the label."""
        self.asked.add(question)
        self.answers += 1
        if self.truth[question[0]] == question[1]:
            self.labels.add(question)
            self.added += 1
            return True
        return False

    def nearest(self, picture: int, k: int, farthest: float) -> list[int]:
        """The ``k`` nearest other pictures by cosine distance, those within ``farthest`` of it."""
        similarity = self.unit @ self.unit[picture]
        similarity[picture] = -np.inf
        return [int(i) for i in np.argsort(-similarity)[:k] if 1.0 - similarity[i] <= farthest]


def spread(world: World, budget: int, k: int, farthest: float, rng: random.Random) -> None:
    """Look-alike grids from each verified label, the new ones spreading in turn."""
    verified = deque(world.initial)
    rng.shuffle(verified)
    while world.answers < budget and verified:
        picture, label = verified.popleft()
        grid = [(n, label) for n in world.nearest(picture, k, farthest) if (n, label) not in world.asked]
        for question in grid[:budget - world.answers]:
            if world.answer(question):
                verified.append(question)


def model(world: World, budget: int, every: int, seed: int, rng: random.Random) -> None:
    """The model's suggestions (probability >= THRESHOLD), the head retrained after every ``every`` answers."""
    while world.answers < budget:
        pictures = sorted({i for i, _ in world.labels})
        targets = torch.zeros(len(pictures), CLASSES)
        for row, i in enumerate(pictures):
            targets[row, world.truth[i]] = 1.0
        head = train_head(world.x[pictures], targets, world.x[:0], targets[:0], HeadParams(seed=seed))
        p = probabilities(head, world.x).detach().numpy()
        questions = [(int(i), int(j)) for i, j in zip(*np.nonzero(p >= THRESHOLD), strict=True)
                     if (int(i), int(j)) not in world.asked]
        if not questions:
            return
        rng.shuffle(questions)
        for question in questions[:min(every, budget - world.answers)]:
            world.answer(question)


def random_questions(world: World, budget: int, rng: random.Random) -> None:
    """A random picture and a random label it lacks, never asked twice."""
    while world.answers < budget:
        question = (rng.randrange(len(world.x)), rng.randrange(CLASSES))
        if question not in world.asked:
            world.answer(question)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--answers", type=int, default=600)
    parser.add_argument("--start", type=float, default=0.05, help="share of pictures labelled (verified) at start")
    parser.add_argument("--k", type=int, default=10, help="look-alikes asked per verified label (playground.spread_k)")
    parser.add_argument("--max-distance", type=float, default=0.5,
                        help="look-alikes asked only within this cosine distance (playground.spread_max_distance)")
    parser.add_argument("--sources", default="spread,model,random", help="comma-separated: spread, model, random")
    parser.add_argument("--every", type=int, default=50, help="model suggestions: answers between retrainings")
    parser.add_argument("--cache", type=Path, default=None, help="a file keeping the embeddings between runs")
    args = parser.parse_args()
    emit = emitter("spreading")
    torch.set_num_threads(2)
    x, y = embedded_digits(args.cache)
    per_minute = 60.0 / SECONDS_PER_ANSWER
    results: dict[str, list[tuple[float, float]]] = {source: [] for source in args.sources.split(",")}
    for seed in range(args.seeds):
        for source in results:
            rng = random.Random(seed)
            world = World(x, y, args.start, rng)
            if source == "spread":
                spread(world, args.answers, args.k, args.max_distance, rng)
            elif source == "model":
                model(world, args.answers, args.every, seed, rng)
            else:
                random_questions(world, args.answers, rng)
            yes_rate = world.added / world.answers if world.answers else 0.0
            per_label = world.answers / world.added if world.added else float("inf")
            results[source].append((yes_rate, per_label))
            emit("answers_per_label_added", round(per_label, 3), "answers/label", source=source, seed=seed,
                 answers=world.answers, labels_added=world.added, yes_rate=round(yes_rate, 3))
    for source, rows in results.items():
        yes_rate = statistics.mean(r for r, _ in rows)
        emit("mean_answers_per_label_added", round(statistics.mean(p for _, p in rows), 3), "answers/label",
             source=source, seeds=args.seeds, yes_rate=round(yes_rate, 3), answers_per_minute=per_minute,
             labels_per_minute=round(per_minute * yes_rate, 2), seconds_per_answer=SECONDS_PER_ANSWER, k=args.k,
             max_distance=args.max_distance,
             start=args.start, answers=args.answers)


if __name__ == "__main__":
    main()
