"""Benchmark (issue 12): examples/s of the playground head's Lightning training against a plain PyTorch loop.

Run from the repository root::

    .venv/bin/python bench/bench_playground_training.py [--rows 20000] [--epochs 5] [--rounds 3]

Both train the same head (``imagemonkey_playground.head.LabelHead``: dropout + linear over 1280-d embeddings, BCE,
AdamW) on the same tensors with the same batch size, epochs, seeded shuffling and a validation pass after every
epoch; early stopping is off in both so they do the same number of steps. The embeddings are real backbone
embeddings of sample pictures (twelve classes), repeated with small noise to ``--rows`` rows so a run is long
enough to time. The two are interleaved ``--rounds`` times in one run; the medians and their ratio are printed
(target: Lightning >= 0.9 of the plain loop).
"""
from __future__ import annotations

import argparse
import logging
import statistics
import time
from dataclasses import replace

import pytorch_lightning as pl
import torch
from common import emitter
from imagemonkey_playground import backbone, sample, training
from imagemonkey_playground.head import HeadParams, LabelHead, loader, trainer_for


def lightning_run(x: torch.Tensor, y: torch.Tensor, vx: torch.Tensor, vy: torch.Tensor, params: HeadParams) -> float:
    pl.seed_everything(params.seed, verbose=False)
    head = LabelHead(x.shape[1], y.shape[1], params)
    trainer = trainer_for(params, [], validate=False)
    started = time.perf_counter()
    trainer.fit(head, loader(x, y, params, shuffle=True), loader(vx, vy, params, shuffle=False))
    return time.perf_counter() - started


def plain_run(x: torch.Tensor, y: torch.Tensor, vx: torch.Tensor, vy: torch.Tensor, params: HeadParams) -> float:
    pl.seed_everything(params.seed, verbose=False)
    head = LabelHead(x.shape[1], y.shape[1], params)
    optimizer = head.configure_optimizers()
    started = time.perf_counter()
    for _ in range(params.max_epochs):
        head.train()
        for bx, by in loader(x, y, params, shuffle=True):
            optimizer.zero_grad()
            loss = head.loss(head(bx), by)
            loss.backward()
            optimizer.step()
        head.eval()
        with torch.no_grad():
            losses = [head.loss(head(bx), by) for bx, by in loader(vx, vy, params, shuffle=False)]
            float(torch.stack(losses).mean())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    emit = emitter("playground_training")
    torch.set_num_threads(1)  # the machine is shared: one thread each measures the loop, not contention
    logging.getLogger("pytorch_lightning").setLevel(logging.WARNING)
    labels = list(sample.SOURCES)
    pictures = sample.build(96, seed=0, labels=labels, pair_share=0.5, scale=(0.12, 0.4))
    base = backbone.embed([backbone.decode(data) for data, _ in pictures])
    base_y = training.targets_of([(i, names) for i, (_, names) in enumerate(pictures)], labels)
    generator = torch.Generator().manual_seed(0)
    repeat = -(-args.rows // len(base))
    noise = 0.05 * torch.randn(len(base) * repeat, base.shape[1], generator=generator)
    x = (base.repeat(repeat, 1) + noise)[:args.rows]
    y = base_y.repeat(repeat, 1)[:args.rows]
    vx, vy = x[: args.rows // 5], y[: args.rows // 5]
    params = replace(HeadParams(), max_epochs=args.epochs)
    runs: dict[str, list[float]] = {"lightning": [], "plain": []}
    for _ in range(args.rounds):
        runs["lightning"].append(lightning_run(x, y, vx, vy, params))
        runs["plain"].append(plain_run(x, y, vx, vy, params))
    examples = args.rows * args.epochs
    rates = {name: examples / statistics.median(seconds) for name, seconds in runs.items()}
    for name, rate in rates.items():
        emit(f"{name}_examples_per_s", round(rate), "examples/s", rows=args.rows, epochs=args.epochs,
             batch_size=params.batch_size, rounds=args.rounds, seconds=[round(s, 3) for s in runs[name]])
    emit("lightning_vs_plain", round(rates["lightning"] / rates["plain"], 3), "ratio", target_min=0.9)


if __name__ == "__main__":
    main()
