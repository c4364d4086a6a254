"""What ``imagemonkey stats verify`` costs: after a typical functional test (the test suite runs it after every
test) and on a site of 10,000 and 1,000,000 image labels (``query_dataset.py``, validate and annotate enabled).

The recount is one grouped query per counter over its table, so it grows with the data; the figure after a test
is what every test pays. SQLite (the suite's default database). JSON lines.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import emitter
from PIL import Image as PILImage
from query_dataset import build_app, fill
from webtest import TestApp

from imagemonkey.cli.stats import check_counters

emit = emitter("stats_verify")


def picture(seed: int) -> bytes:
    """A small JPEG of noise: different seeds are different pictures."""
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    PILImage.fromarray(rng.integers(0, 256, (72, 96, 3), dtype=np.uint8), "RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def median_ms(registry: object, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        begin = time.perf_counter()
        drifts = check_counters(registry)
        timings.append((time.perf_counter() - begin) * 1000)
        assert drifts == [], drifts
    return statistics.median(timings)


def after_a_test(repeat: int) -> None:
    """An app with validate and annotate after a few donations and labels, as a functional test leaves it."""
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        client = TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
        token = client.post("/api/v1/clients", status=201).json["token"]
        for seed in range(5):
            client.post("/api/v1/images", params=[("label", "dog"), ("label", "cat")],
                        upload_files=[("image", "a.jpg", picture(seed))],
                        headers={"Authorization": f"Bearer {token}"}, status=201)
        emit("after_a_test", round(median_ms(app.registry, repeat), 2), "ms", images=5, plugins="validate annotate")
        app.registry["db_engine"].dispose()


def on_a_site(size: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        images = fill(app, size)
        begin = time.perf_counter()
        check_counters(app.registry, repair=True)  # query_dataset's outlines are raw rows, as after an import
        emit("site_repair", round((time.perf_counter() - begin) * 1000, 1), "ms", image_labels=size, images=images)
        emit("site", round(median_ms(app.registry, repeat), 1), "ms", image_labels=size, images=images)
        app.registry["db_engine"].dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    after_a_test(args.repeat)
    for size in args.sizes:
        on_a_site(size, max(3, args.repeat // 5))
    return 0


if __name__ == "__main__":
    sys.exit(main())
