"""Similar-pictures search at scale: the playground's usearch index (``imagemonkey_playground.ann``) over synthetic
vectors of the backbone's dimension, in segments of ``--segment-size`` vectors searched together as the playground
searches them (``ann.SEGMENT_SIZE``; ``--segment-size 1000000`` measures one graph of them all).

The vectors are clustered (a mixture of ``--clusters`` Gaussians, like the embeddings of a photo collection, where
pictures come in look-alike groups) and stored as float16, as the index stores them. Figures: build throughput,
p50/p99 of one query (top 10, one thread), recall@10 against exact cosine search (numpy, in chunks), memory per
vector (the index's own account and the saved file's size), and the time to reopen the saved file memory-mapped.

Side by side on the same vectors: the playground's settings (``imagemonkey_playground.ann``) and a faster build
(``ann.FAST_BUILD``: expansion 32 while adding). Each build stops after the batch that passes ``--build-seconds`` of
wall time (the figures say how many vectors it holds, and ``complete``) and the second is built at most to the
first one's size, so the bench ends by itself on a loaded machine; ``--expansion-search`` measures several search
expansions on each built index.

    .venv/bin/python bench/bench_similar.py      # 1,000,000 vectors, two builds of at most 150 s each, ~6 GB
    .venv/bin/python bench/bench_similar.py --settings playground --build-seconds 3000 --expansion-search 128 256 512
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from common import emitter
from imagemonkey_playground import ann
from imagemonkey_playground.ann import AnnFile, new_index
from imagemonkey_playground.ann_segments import Segments

DIMENSION = 1280  # EfficientNet-Lite0's pooled features (imagemonkey_playground.backbone.FEATURES)
BATCH = 20_000  # vectors added at a time, between looks at the clock
CONFIGS = {"playground": ("f16", ann.CONNECTIVITY, ann.EXPANSION_ADD, ann.EXPANSION_SEARCH),
           "fast_build": ann.FAST_BUILD}


def vectors(count: int, dimension: int, clusters: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` float16 vectors around ``clusters`` random centres (spread 0.5 of the centres' scale)."""
    centres = rng.standard_normal((clusters, dimension), dtype=np.float32)
    out = np.empty((count, dimension), dtype=np.float16)
    for start in range(0, count, 50_000):
        stop = min(count, start + 50_000)
        picks = rng.integers(0, clusters, stop - start)
        noise = rng.standard_normal((stop - start, dimension), dtype=np.float32) * 0.5
        out[start:stop] = centres[picks] + noise
    return out


def exact_top(data: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """The exact cosine top ``k`` keys of each query (brute force over ``data`` in chunks)."""
    unit_queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_keys = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(data), 50_000):
        chunk = data[start:start + 50_000].astype(np.float32)
        chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
        scores = unit_queries @ chunk.T
        keys = np.broadcast_to(np.arange(start, start + len(chunk)), scores.shape)
        merged_scores = np.concatenate([best_scores, scores], axis=1)
        merged_keys = np.concatenate([best_keys, keys], axis=1)
        top = np.argpartition(-merged_scores, k, axis=1)[:, :k]
        best_scores = np.take_along_axis(merged_scores, top, axis=1)
        best_keys = np.take_along_axis(merged_keys, top, axis=1)
    return best_keys


def build(settings: tuple[str, int, int, int], data: np.ndarray, limit: int, seconds: float,
          segment_size: int) -> tuple[Segments, int, float, float]:
    """An index (in segments of ``segment_size``) of the first ``limit`` vectors, added in batches until
    ``seconds`` of wall time have passed; (index, vectors added, wall seconds, CPU seconds)."""
    index = Segments([], lambda: new_index(data.shape[1], settings), segment_size)
    started, cpu = time.perf_counter(), time.process_time()
    added = 0
    while added < limit and time.perf_counter() - started < seconds:
        stop = min(limit, added + BATCH)
        index.add(np.arange(added, stop, dtype=np.uint64), data[added:stop])
        added = stop
    return index, added, time.perf_counter() - started, time.process_time() - cpu


def measure(emit: object, name: str, settings: tuple[str, int, int, int], data: np.ndarray, queries: np.ndarray,
            limit: int, args: argparse.Namespace) -> int:
    """Build ``settings`` over at most ``limit`` vectors, emit its figures; returns the vectors it indexed."""
    index, count, wall, cpu = build(settings, data, limit, args.build_seconds, args.segment_size)
    dtype, connectivity, expansion_add, expansion_search = settings
    tags = {"settings": name, "vectors": count, "dtype": dtype, "connectivity": connectivity,
            "expansion_add": expansion_add, "expansion_search": expansion_search,
            "segment_size": args.segment_size, "segments": len(index.segments)}
    emit("build_throughput", round(count / wall), "vectors/s", **tags, complete=count == args.vectors)
    emit("build_cpu_throughput", round(count / cpu), "vectors/cpu-s", **tags,
         note="per CPU second: steady on a shared machine")
    memory = sum(segment.memory_usage for segment in index.segments)
    with tempfile.TemporaryDirectory() as folder:
        saved = AnnFile(Path(folder) / "similar.usearch", index, None, 0.0)
        size = sum(path.stat().st_size for path in saved.save(None))
        del index, saved
        started = time.perf_counter()
        opened = AnnFile.open(Path(folder) / "similar.usearch", args.dimension, view=True,
                              segment_size=args.segment_size)
        emit("reopen_view", round((time.perf_counter() - started) * 1000, 2), "ms", **tags)
        truth = exact_top(data[:count], queries, 10)
        for search in args.expansion_search or [expansion_search]:  # a search-time setting: no rebuild
            for segment in opened.index.segments:
                segment.expansion_search = search
            search_tags = {**tags, "expansion_search": search}
            timings, cpu_timings, found = [], [], []
            for query in queries:
                started, thread_cpu = time.perf_counter(), time.thread_time()
                result = opened.search(query, 10)
                timings.append((time.perf_counter() - started) * 1000)
                cpu_timings.append((time.thread_time() - thread_cpu) * 1000)
                found.append([key for key, _ in result])
            emit("query_p50", round(float(np.percentile(timings, 50)), 3), "ms", **search_tags, target_max=10, k=10)
            emit("query_p99", round(float(np.percentile(timings, 99)), 3), "ms", **search_tags, k=10)
            emit("query_cpu_p50", round(float(np.percentile(cpu_timings, 50)), 3), "ms", **search_tags, k=10)
            recall = np.mean([len(set(got) & set(want.tolist())) / 10 for got, want in zip(found, truth, strict=True)])
            emit("recall_at_10", round(float(recall), 4), "share", **search_tags, target_min=0.95)
        del opened
    emit("memory_per_vector", round(memory / count), "bytes", **tags,
         note="usearch memory_usage (float16 vectors + HNSW graph)")
    emit("file_per_vector", round(size / count), "bytes", **tags)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--dimension", type=int, default=DIMENSION)
    parser.add_argument("--clusters", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--segment-size", type=int, default=ann.SEGMENT_SIZE,
                        help="vectors per segment of the index (the playground's default; larger: fewer segments)")
    parser.add_argument("--build-seconds", type=float, default=150.0,
                        help="wall-clock budget of each build: it stops adding after the batch that passes it")
    parser.add_argument("--expansion-search", type=int, nargs="+", default=None,
                        help="search expansions to measure on each built index (default: its own setting)")
    parser.add_argument("--settings", nargs="+", choices=sorted(CONFIGS), default=["playground", "fast_build"])
    args = parser.parse_args()
    emit = emitter("similar")
    rng = np.random.default_rng(args.seed)
    data = vectors(args.vectors, args.dimension, args.clusters, rng)
    queries = vectors(args.queries, args.dimension, args.clusters, np.random.default_rng(args.seed))
    queries = queries.astype(np.float32) + rng.standard_normal(queries.shape, dtype=np.float32) * 0.1
    limit = args.vectors
    for name in args.settings:  # the later ones to the first one's size: side by side on the same vectors
        limit = measure(emit, name, CONFIGS[name], data, queries, limit, args)


if __name__ == "__main__":
    main()
