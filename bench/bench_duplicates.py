"""Near-duplicate clustering at scale: the playground's pair search (``imagemonkey_playground.duplicate_pairs``) over
synthetic vectors of the backbone's dimension in the playground's usearch index.

The collection is a mixture of ``--clusters`` Gaussians (look-alike groups of a photo collection, spread 0.8: two
pictures of one group lie about 0.4 apart in cosine distance, farther than the threshold) into which ``--planted``
groups of ``--variants`` near duplicates are planted (a picture plus noise 0.6: about 0.1 to 0.2 apart, like the
crops, flips and re-encodes of tests/plugins/playground/test_playground_duplicates.py). Every vector is looked up as
the job does (pages of 512, ``k`` neighbours, the default threshold); figures: throughput of the pair search and of
the grouping, pairs found, and how many of the planted pairs and groups were found (and how many pairs were not
planted).

    .venv/bin/python bench/bench_duplicates.py                    # 100,000 vectors, ~2 CPU-minutes
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from common import emitter
from imagemonkey_playground.ann import new_index
from imagemonkey_playground.duplicate_pairs import components, find_pairs
from imagemonkey_playground.duplicates import PAGE

DIMENSION = 1280  # EfficientNet-Lite0's pooled features
THRESHOLD = 0.3  # playground.duplicates_max_distance's default
K = 10  # playground.duplicates_k's default


def collection(count: int, planted: int, variants: int, clusters: int, dimension: int,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` float16 vectors; the first ``planted * variants`` are the planted groups (group of each in the
    second array; -1 for the rest)."""
    centres = rng.standard_normal((clusters, dimension), dtype=np.float32)
    out = np.empty((count, dimension), dtype=np.float16)
    group = np.full(count, -1, dtype=np.int64)
    bases = centres[rng.integers(0, clusters, planted)] + rng.standard_normal((planted, dimension),
                                                                               dtype=np.float32) * 0.8
    for index in range(planted):
        rows = slice(index * variants, (index + 1) * variants)
        out[rows] = bases[index] + rng.standard_normal((variants, dimension), dtype=np.float32) * 0.6
        group[rows] = index
    for start in range(planted * variants, count, 50_000):
        stop = min(count, start + 50_000)
        noise = rng.standard_normal((stop - start, dimension), dtype=np.float32) * 0.8
        out[start:stop] = centres[rng.integers(0, clusters, stop - start)] + noise
    return out, group


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--planted", type=int, default=1_000, help="groups of near duplicates planted")
    parser.add_argument("--variants", type=int, default=5, help="pictures per planted group")
    parser.add_argument("--clusters", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--threads", type=int, default=2, help="threads building the index")
    args = parser.parse_args()
    emit = emitter("duplicates")
    rng = np.random.default_rng(args.seed)
    data, group = collection(args.vectors, args.planted, args.variants, args.clusters, DIMENSION, rng)
    index = new_index(DIMENSION)
    index.add(np.arange(args.vectors, dtype=np.uint64), data, threads=args.threads)
    started, cpu = time.perf_counter(), time.process_time()
    pairs: list[tuple[int, int, float]] = []
    for start in range(0, args.vectors, PAGE):
        keys = list(range(start, min(args.vectors, start + PAGE)))
        pairs += find_pairs(index, keys, data[start:start + PAGE], K, THRESHOLD)
    search, search_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    groups = components(pairs)
    grouping = time.perf_counter() - started
    unique = {(a, b) for a, b, _ in pairs}
    planted_pairs = args.planted * args.variants * (args.variants - 1) // 2
    true_pairs = sum(1 for a, b in unique if group[a] >= 0 and group[a] == group[b])
    exact_groups = sum(1 for found in groups if len({int(group[i]) for i in found}) == 1
                       and group[min(found)] >= 0 and len(found) == args.variants)
    common = {"vectors": args.vectors, "k": K, "threshold": THRESHOLD}
    emit("pair_search_throughput", round(args.vectors / search), "vectors/s", **common, page=PAGE)
    emit("pair_search_cpu_throughput", round(args.vectors / search_cpu), "vectors/cpu-s", **common,
         note="per CPU second: steady on a shared machine")
    emit("grouping_throughput", round(len(pairs) / grouping) if grouping else None, "pairs/s", **common)
    emit("pairs_found", len(unique), "pairs", **common, planted_pairs=planted_pairs)
    emit("planted_pairs_found", round(true_pairs / planted_pairs, 4), "share", **common)
    emit("pairs_not_planted", len(unique) - true_pairs, "pairs", **common)
    emit("planted_groups_found_whole", round(exact_groups / args.planted, 4), "share", **common,
         groups_found=len(groups))
    distances = np.asarray([d for _, _, d in pairs], dtype=np.float32)
    if len(distances):
        emit("pair_distance_p50", round(float(np.median(distances)), 4), "cosine distance", **common)


if __name__ == "__main__":
    main()
