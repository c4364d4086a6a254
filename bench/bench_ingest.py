"""Benchmark: the upload pipeline against one full Pillow decode of the same 12-megapixel JPEG.

Run from the repository root (with ``imagemonkey`` importable)::

    python bench/bench_ingest.py [--runs 9] [--check]

Makes a photo-like 4000x3000 JPEG (quality 90) in memory, once with EXIF orientation 1
(the lossless path: marker rewrite + reduced-scale decode) and once with orientation 6
(rotation: full decode and re-encode). For each, ``process_upload`` and
``Image.open(...).load()`` are timed interleaved, and the medians printed as JSON lines,
one object per figure. The target (issue 3): pipeline <= 2.0x full decode for
orientation 1. ``--check`` exits with status 1 if it is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType

from PIL import Image

from imagemonkey.images.process import process_upload


def _load_imagefactory() -> ModuleType:
    """The test image factory (tests/core/imagefactory.py), loaded by path: tests are not a package."""
    path = Path(__file__).resolve().parents[1] / "tests" / "core" / "imagefactory.py"
    spec = importlib.util.spec_from_file_location("imagefactory", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


imagefactory = _load_imagefactory()

TARGET_MAX_RATIO = 2.0


def emit(case: str, figure: str, value: float, unit: str, **extra: object) -> None:
    """Print one figure as a JSON line."""
    print(json.dumps({"bench": "ingest", "case": case, "figure": figure, "value": value, "unit": unit, **extra}))


def full_decode(data: bytes) -> None:
    """One complete Pillow decode of ``data``."""
    with Image.open(io.BytesIO(data)) as img:
        img.load()


def measure(data: bytes, runs: int) -> tuple[float, float]:
    """Median milliseconds of ``process_upload`` and of a full decode, timed interleaved."""
    process_upload(data)
    full_decode(data)
    pipeline, decode = [], []
    for _ in range(runs):
        started = time.perf_counter()
        process_upload(data)
        pipeline.append(time.perf_counter() - started)
        started = time.perf_counter()
        full_decode(data)
        decode.append(time.perf_counter() - started)
    return statistics.median(pipeline) * 1000, statistics.median(decode) * 1000


def main(argv: list[str] | None = None) -> int:
    """Run both cases and print their figures; with ``--check``, fail when the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per measurement (median; at least 7)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the orientation-1 ratio exceeds 2.0")
    args = parser.parse_args(argv)
    runs = max(7, args.runs)
    photo = imagefactory.photo_like(4000, 3000, seed=12)
    ratio_ok = True
    for orientation in (1, 6):
        case = f"jpeg_12mp_orientation_{orientation}"
        data = imagefactory.jpeg_bytes(4000, 3000, image=photo, quality=90, exif_orientation=orientation)
        pipeline_ms, decode_ms = measure(data, runs)
        ratio = pipeline_ms / decode_ms
        emit(case, "input_bytes", len(data), "bytes")
        emit(case, "pipeline_ms_per_image", round(pipeline_ms, 1), "ms", runs=runs)
        emit(case, "full_decode_ms", round(decode_ms, 1), "ms", runs=runs)
        if orientation == 1:
            emit(case, "ratio_pipeline_to_decode", round(ratio, 3), "ratio", target_max=TARGET_MAX_RATIO)
            ratio_ok = ratio <= TARGET_MAX_RATIO
        else:
            emit(case, "ratio_pipeline_to_decode", round(ratio, 3), "ratio")
    return 0 if ratio_ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
