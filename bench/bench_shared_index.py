"""What sharing the similar-pictures index through object storage costs (issue 25): an index of ``--count`` synthetic
vectors of the backbone's dimension in the playground's usearch settings (one segment), saved to the data dir as the
writer does, uploaded streamed to an S3 bucket on a local moto server (``put_file``, as ``store_file`` does),
downloaded streamed (``get_file``, as ``fetch_file`` does) and memory-mapped as a reader does; beside them, in the
same process, the same file copied on disk (the file store's ``get_file``).

moto keeps objects in its own process's memory over loopback HTTP: the figures bound what the code costs, not what
a real S3 service's network costs.

    .venv/bin/python bench/bench_shared_index.py                  # 20,000 vectors (54 MB), about a CPU-minute
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import ROOT, emitter
from imagemonkey_playground.ann import AnnFile

from imagemonkey.storage import FileBlobStore, blob_store_from_settings

sys.path.insert(0, str(ROOT / "tests" / "core"))
from s3server import start_moto_server, stop_moto_server  # noqa: E402

DIMENSION = 1280  # EfficientNet-Lite0's pooled features


def timed(action: object) -> tuple[float, object]:
    """Seconds ``action()`` took, and what it answered."""
    start = time.perf_counter()
    answer = action()  # type: ignore[operator]
    return time.perf_counter() - start, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args()
    emit = emitter("shared_index")
    rng = np.random.default_rng(7)
    folder = Path(tempfile.mkdtemp(prefix="bench-shared-index-"))
    ann = AnnFile.empty(folder / "writer" / "similar.usearch", DIMENSION)  # one segment up to 250,000
    for start in range(0, args.count, 5_000):
        stop = min(args.count, start + 5_000)
        ann.add(list(range(start, stop)), rng.standard_normal((stop - start, DIMENSION), dtype=np.float32))
    saving, _ = timed(lambda: ann.save("2026-12-07T00:00:00+00:00"))
    size = ann.path.stat().st_size
    emit("index file", round(size / 1e6, 1), "MB", vectors=args.count, bytes_per_vector=round(size / args.count))
    emit("save to the data dir", round(saving, 3), "s")

    url, process = start_moto_server()
    try:
        import boto3

        boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                     aws_secret_access_key="test").create_bucket(Bucket="bench")
        s3 = blob_store_from_settings({"imagemonkey.storage": "s3://bench/site", "imagemonkey.s3.endpoint_url": url,
                                       "imagemonkey.s3.region": "us-east-1", "imagemonkey.s3.access_key_id": "test",
                                       "imagemonkey.s3.secret_access_key": "test"}, folder)
        disk = FileBlobStore(folder / "blobs")
        for name, store in (("s3", s3), ("file", disk)):
            upload, key = timed(lambda store=store: store.put_file(ann.path, "application/octet-stream"))
            target = folder / f"reader-{name}" / f"similar.{key}.usearch"
            target.parent.mkdir()
            download, _ = timed(lambda store=store, key=key, target=target: store.get_file(key, target))
            opening, opened = timed(lambda target=target: AnnFile.of_files(target, [target], DIMENSION, None))
            assert len(opened.index) == args.count  # type: ignore[attr-defined]
            emit("publish (hash + upload)", round(upload, 3), "s", store=name, ratio_to_save=round(upload / saving, 2))
            emit("download", round(download, 3), "s", store=name, mb_per_s=round(size / 1e6 / download, 1))
            emit("memory-map the copy", round(opening * 1000, 1), "ms", store=name)
    finally:
        stop_moto_server(process)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
