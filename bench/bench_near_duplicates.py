"""Benchmark (issue 3): near-duplicate lookup time with 10,000 and with 1,000,000 stored hashes.

Run from the repository root::

    .venv/bin/python bench/bench_near_duplicates.py [--probes 400] [--large 1000000]

Builds a SQLite file database per size with the real migrations
(``imagemonkey.db.migrate.upgrade``), bulk-inserts image rows with random 64-bit hashes and
their band columns (``band_columns``/``stored_hash``) straight into the ``image`` table, and
times ``find_near_duplicates(session, h, 6)``: half of the probes are near copies of stored
hashes (1 to 6 bits flipped), half random. The image indexes are dropped for the build and
recreated from their own migrated DDL afterwards (faster than maintaining them row by row).

Prints the median milliseconds per lookup for each size, the ratio (target: <= 5 ms at one
million, <= 3x the 10,000 figure), how many near copies were found, and whether SQLite's plan
uses the four band indexes. Removes its temporary folder at the end.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import emitter
from sqlalchemy.orm import Session

from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.images.perceptual import band_probes
from imagemonkey.services.near_duplicates import band_columns, candidate_query, find_near_duplicates, stored_hash

emit = emitter("near_duplicates")
MAX_DISTANCE = 6
CHUNK = 20_000
BAND_INDEXES = {f"ix_image_phash_b{i}" for i in range(3)}


def build(path: Path, rows: int, rng: random.Random) -> list[int]:
    """A migrated SQLite database at ``path`` with ``rows`` images; returns their unsigned hashes."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, [])
    engine.dispose()
    hashes = [rng.getrandbits(64) for _ in range(rows)]
    raw = make_engine(f"sqlite:///{path}").raw_connection()
    try:
        db = raw.driver_connection
        db.execute("PRAGMA synchronous=OFF")
        indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'image' "
                             "AND sql IS NOT NULL").fetchall()
        db.execute("BEGIN")
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        insert = ("INSERT INTO image (id, status, format, width, height, upload_sha256, original_key, medium_key, "
                  "thumb_key, phash, phash_b0, phash_b1, phash_b2, label_count, created_at) "
                  "VALUES (?, 'public', 'jpeg', 640, 480, ?, ?, ?, ?, ?, ?, ?, ?, 0, '2024-01-01 00:00:00')")
        for start in range(0, rows, CHUNK):
            batch = []
            for image_id in range(start + 1, min(rows, start + CHUNK) + 1):
                h = hashes[image_id - 1]
                key = f"{image_id:064x}"
                b = band_columns(h)
                batch.append((image_id, key, key, key, key, stored_hash(h), b["phash_b0"], b["phash_b1"],
                              b["phash_b2"]))
            db.executemany(insert, batch)
        for _, sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
        db.execute("ANALYZE")
        db.execute("PRAGMA synchronous=NORMAL")
    finally:
        raw.close()
    return hashes


def probes_for(hashes: list[int], count: int, rng: random.Random) -> list[tuple[int, bool]]:
    """``count`` probes: (hash, is_near_copy), alternating near copies (1..6 bits flipped) and random hashes."""
    probes = []
    for i in range(count):
        if i % 2 == 0:
            h = rng.choice(hashes)
            for bit in rng.sample(range(64), rng.randint(1, MAX_DISTANCE)):
                h ^= 1 << bit
            probes.append((h, True))
        else:
            probes.append((rng.getrandbits(64), False))
    return probes


def query_plan(session: Session, h: int) -> str:
    """SQLite's EXPLAIN QUERY PLAN of the lookup's query, one line per step."""
    sql, params = candidate_query(band_probes(h, MAX_DISTANCE), "qmark")
    rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", tuple(params)).all()
    return " | ".join(str(row[-1]) for row in rows)


def measure(path: Path, hashes: list[int], probes: int, rng: random.Random) -> dict[str, object]:
    """Median and p95 ms per lookup, near copies found, and the query plan, on the database at ``path``."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            batch = probes_for(hashes, probes, rng)
            for h, _ in batch[:20]:  # warm the page cache and the statement cache
                find_near_duplicates(session, h, MAX_DISTANCE)
            times, found_near = [], 0
            for h, near in batch:
                started = time.perf_counter()
                found = find_near_duplicates(session, h, MAX_DISTANCE)
                times.append((time.perf_counter() - started) * 1000)
                found_near += bool(found) and near
            plan = query_plan(session, batch[0][0])
    finally:
        engine.dispose()
    times.sort()
    return {"median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95)],
            "near_found": found_near, "near_probes": sum(1 for _, near in batch if near), "plan": plan}


def main(argv: list[str] | None = None) -> int:
    """Build both databases, time the lookups and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probes", type=int, default=400, help="lookups per size (default 400)")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    rng = random.Random(20240)
    tmp = Path(tempfile.mkdtemp(prefix="imagemonkey-bench-neardup-"))
    try:
        results = {}
        for rows in (args.small, args.large):
            path = tmp / f"images-{rows}.sqlite"
            started = time.perf_counter()
            hashes = build(path, rows, rng)
            emit(f"build_s_{rows}", round(time.perf_counter() - started, 1), "s", rows=rows)
            results[rows] = result = measure(path, hashes, args.probes, rng)
            emit(f"lookup_median_ms_{rows}", round(result["median_ms"], 3), "ms", rows=rows, probes=args.probes,
                 max_distance=MAX_DISTANCE, **({"target_max": 5.0} if rows >= 1_000_000 else {}))
            emit(f"lookup_p95_ms_{rows}", round(result["p95_ms"], 3), "ms", rows=rows)
            emit(f"near_copies_found_{rows}", result["near_found"], "lookups", of=result["near_probes"])
            plan = str(result["plan"])
            emit(f"query_plan_{rows}", plan, "text")
            emit(f"uses_band_indexes_{rows}", all(name in plan for name in BAND_INDEXES), "bool")
            path.unlink()
        emit("lookup_ratio_large_to_small",
             round(results[args.large]["median_ms"] / results[args.small]["median_ms"], 3), "ratio",
             target_max=3.0, small=args.small, large=args.large)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
