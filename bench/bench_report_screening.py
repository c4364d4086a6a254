"""Screening cost: the screening job's time per image against NudeNet's own ``detect()`` on the same
images (side by side, interleaved, one run), and the donation request's latency with screening on and off.

Images: scikit-image's colour sample photographs as JPEG files. ``detect(path)`` is NudeNet on the
file; the job is ``imagemonkey_report.screening.screen_image`` (read the image, run every screener,
route the image in its own transaction) on the same images donated to a real app (SQLite). Donation
latency: ``POST /api/v1/images`` through the app (WebTest), fresh pictures each time, screening on and
off in two apps, interleaved. Prints JSON lines. ``python bench/bench_report_screening.py [--rounds 5]``
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import emitter
from imagemonkey_report.screening import screen_image, screeners
from PIL import Image as PILImage
from skimage import data as samples
from webtest import TestApp

from imagemonkey.app import make_app
from imagemonkey.db.engine import make_engine
from imagemonkey.db.migrate import upgrade
from imagemonkey.jobs.queue import job_queue as job_queue_of
from imagemonkey.models import Image
from imagemonkey.scripting import app_request
from imagemonkey.testing import TEST_SETTINGS, auth, new_client

SAMPLES = ("astronaut", "coffee", "chelsea", "rocket", "retina", "immunohistochemistry")


def jpeg(array: np.ndarray, noise_seed: int | None = None) -> bytes:
    if noise_seed is not None:  # a fresh picture (not a duplicate) for each donation
        rng = np.random.default_rng(noise_seed)
        array = np.clip(array.astype(np.int16) + rng.integers(-8, 9, array.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    PILImage.fromarray(array).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def build(folder: Path, screening: bool, jobs: str = "") -> TestApp:
    folder.mkdir()
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    engine = make_engine(url)
    upgrade(engine, ["report"])
    engine.dispose()
    app = make_app({**TEST_SETTINGS, "imagemonkey.data_dir": str(folder), "sqlalchemy.url": url,
                    "imagemonkey.plugins": "report", "report.screening": "true" if screening else "false",
                    "imagemonkey.jobs": jobs, "imagemonkey.jobs.queue": f"bench-report-{os.getpid()}"})
    return TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})


def donate(app: TestApp, token: str, data: bytes) -> tuple[str, float]:
    began = time.perf_counter()
    response = app.post("/api/v1/images", upload_files=[("image", "x.jpg", data)], headers=auth(token), status=201)
    return response.json["image"]["id"], (time.perf_counter() - began) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--redis", help="also measure donations with the job queue on this Redis URL "
                        "(e.g. redis://127.0.0.1:6379/6; a queue of its own, flushed at the end)")
    args = parser.parse_args(argv)
    emit = emitter("report_screening")
    arrays = [getattr(samples, name)() for name in SAMPLES]
    arrays = [np.stack([a] * 3, axis=-1) if a.ndim == 2 else a[..., :3] for a in arrays]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        on = build(folder / "on", True)
        token_on = new_client(on)
        registry = on.app.registry
        detector = screeners(registry)[0].detector  # the same NudeDetector the job uses
        paths, ids = [], []
        for n, array in enumerate(arrays):
            path = folder / f"{SAMPLES[n]}.jpg"
            path.write_bytes(jpeg(array))
            paths.append(str(path))
            ids.append(int(donate(on, token_on, path.read_bytes())[0]))
        with app_request(registry) as request:  # the job's params: the image id and its medium rendition's key
            keys = [request.dbsession.get(Image, image_id).medium_key for image_id in ids]
        detector.detect(paths[0])
        screen_image(registry, ids[0], keys[0])  # warm both
        detect_ms: list[float] = []
        job_ms: list[float] = []
        for _ in range(args.rounds):
            for path, image_id, key in zip(paths, ids, keys, strict=True):
                began = time.perf_counter()
                detector.detect(path)
                detect_ms.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                screen_image(registry, image_id, key)
                job_ms.append((time.perf_counter() - began) * 1000)
        detect, job = statistics.median(detect_ms), statistics.median(job_ms)
        emit("nudenet_detect_ms_per_image", round(detect, 2), "ms", images=len(paths), rounds=args.rounds)
        emit("screening_job_ms_per_image", round(job, 2), "ms", images=len(paths), rounds=args.rounds)
        emit("screening_job_vs_detect", round(job / detect, 3), "x", target_max=1.3)
        queues = [("embedded_sqlite", "")] + ([("redis", args.redis)] if args.redis else [])
        for queue_name, jobs in queues:
            on_q = build(folder / f"on-{queue_name}", True, jobs)
            off_q = build(folder / f"off-{queue_name}", False, jobs)
            tokens = {"on": new_client(on_q), "off": new_client(off_q)}
            latency: dict[str, list[float]] = {"on": [], "off": []}
            seed = 0
            for _ in range(args.rounds):
                for array in arrays:
                    for name, app in (("on", on_q), ("off", off_q)):
                        seed += 1
                        latency[name].append(donate(app, tokens[name], jpeg(array, seed))[1])
            on_ms, off_ms = statistics.median(latency["on"]), statistics.median(latency["off"])
            emit("donation_ms_screening_on", round(on_ms, 2), "ms", job_queue=queue_name, donations=len(latency["on"]))
            emit("donation_ms_screening_off", round(off_ms, 2), "ms", job_queue=queue_name,
                 donations=len(latency["off"]))
            emit("donation_on_vs_off", round(on_ms / off_ms, 3), "x", job_queue=queue_name, target_max=1.1)
            if jobs:
                job_queue_of(on_q.app.registry).huey.flush()
            for app in (on_q, off_q):
                app.app.registry["db_engine"].dispose()
        on.app.registry["db_engine"].dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
