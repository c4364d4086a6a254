"""Export 100,000 annotations on 20,000 images to COCO and YOLO: throughput and peak memory (JSON lines).

The database is SQLite built with the real migrations (core, then annotate) and filled in bulk
with plain INSERTs. Each format then runs in a fresh subprocess (``--child``), so the RSS
baseline is clean: one run measures annotations per second and the growth of the peak RSS over
the RSS taken after the app is built (VmHWM, reset through /proc/self/clear_refs); a second run
measures the tracemalloc peak.
Target: peak growth under 100 MB for both formats. Images are not copied (copy_images=False).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

IMAGES = 20_000
LABELS_PER_IMAGE = 5
LABELS = ["dog", "cat", "car", "tree", "chair"]
W, H = 640, 480


def emit(figure: str, value: float, unit: str, **extra: object) -> None:
    print(json.dumps({"bench": "annotate_export", "figure": figure, "value": value, "unit": unit, **extra}),
          flush=True)


def shape(rng: random.Random, i: int) -> dict[str, object]:
    x, y = rng.uniform(0, W - 100), rng.uniform(0, H - 100)
    if i % 3 == 0:
        return {"type": "rect", "x": x, "y": y, "width": rng.uniform(5, 99), "height": rng.uniform(5, 99)}
    if i % 3 == 1:
        return {"type": "ellipse", "cx": x + 50, "cy": y + 50, "rx": rng.uniform(5, 49), "ry": rng.uniform(5, 49)}
    return {"type": "polygon", "points": [[x + rng.uniform(0, 99), y + rng.uniform(0, 99)] for _ in range(8)]}


def build(db: Path) -> None:
    """A migrated database with IMAGES public images, each with LABELS_PER_IMAGE annotated labels."""
    from sqlalchemy import text

    from imagemonkey.db.engine import make_engine
    from imagemonkey.db.migrate import upgrade
    from imagemonkey.services.near_duplicates import band_columns

    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, ["annotate"])
    rng = random.Random(7)
    now = datetime.now(UTC).isoformat(sep=" ")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO contributor (id, kind, role, blocked, created_at) "
                          "VALUES (1, 'client', 'contributor', 0, :now)"), {"now": now})
        conn.execute(text(
            "INSERT INTO image (id, status, format, width, height, upload_sha256, original_key, medium_key, "
            "thumb_key, phash, phash_b0, phash_b1, phash_b2, donor_id, label_count, created_at) VALUES "
            "(:id, 'public', 'jpeg', :w, :h, :sha, :sha, :sha, :sha, :id, :phash_b0, :phash_b1, :phash_b2, 1, :n, "
            ":now)"),
            [{"id": i, "w": W, "h": H, "sha": f"{i:064x}", "n": LABELS_PER_IMAGE, "now": now, **band_columns(i)}
             for i in range(1, IMAGES + 1)])
        labels, annotations = [], []
        for image_id in range(1, IMAGES + 1):
            for k, label in enumerate(LABELS[:LABELS_PER_IMAGE]):
                il = (image_id - 1) * LABELS_PER_IMAGE + k + 1
                labels.append({"id": il, "image_id": image_id, "label": label, "now": now})
                shapes = json.dumps([shape(rng, il)])
                annotations.append({"id": il, "il": il, "image_id": image_id, "label": label, "shapes": shapes,
                                    "now": now})
        conn.execute(text("INSERT INTO image_label (id, image_id, label, contributor_id, created_at) "
                          "VALUES (:id, :image_id, :label, 1, :now)"), labels)
        conn.execute(text(
            "INSERT INTO annotate_annotation (id, image_label_id, image_id, label, revision, last_revision, shapes, "
            "shape_count, contributor_id, created_at, updated_at) VALUES "
            "(:id, :il, :image_id, :label, 1, 1, :shapes, 1, 1, :now, :now)"), annotations)
    engine.dispose()


def rss_mb(field: str) -> float:
    """``VmRSS`` or ``VmHWM`` (peak) of this process from /proc, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Reset the peak RSS to the current RSS (Linux: ``5`` to /proc/self/clear_refs), when allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def child(fmt: str, data_dir: Path, trace: bool) -> None:
    """Run one export in this fresh process and print its figures."""
    from imagemonkey.app import make_app
    from imagemonkey.export import run_export

    registry = make_app({"imagemonkey.data_dir": str(data_dir), "imagemonkey.plugins": "annotate",
                         "sqlalchemy.url": f"sqlite:///{data_dir / 'bench.sqlite'}"}).registry
    out = Path(tempfile.mkdtemp(prefix=f"export-{fmt}-", dir=data_dir))
    reset_peak()
    baseline = rss_mb("VmRSS")
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    counts = run_export(registry, fmt, out, copy_images=False)
    elapsed = time.perf_counter() - start
    annotations = counts.get("annotations", counts.get("rows", 0))
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        emit(f"{fmt}_tracemalloc_peak", round(peak / 2**20, 1), "MB", target_below=100)
        return
    growth = rss_mb("VmHWM") - baseline
    emit(f"{fmt}_annotations_per_second", round(annotations / elapsed), "annotations/s", annotations=annotations,
         images=counts["images"], seconds=round(elapsed, 2))
    emit(f"{fmt}_peak_rss_growth", round(growth, 1), "MB", target_below=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "DATA_DIR"))
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.trace)
        return
    with tempfile.TemporaryDirectory(prefix="bench-annotate-") as folder:
        data_dir = Path(folder)
        start = time.perf_counter()
        build(data_dir / "bench.sqlite")
        emit("build_database", round(time.perf_counter() - start, 1), "s", images=IMAGES,
             annotations=IMAGES * LABELS_PER_IMAGE)
        for fmt in ("coco", "yolo"):
            for trace in (False, True):
                command = [sys.executable, __file__, "--child", fmt, str(data_dir)] + (["--trace"] if trace else [])
                subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
