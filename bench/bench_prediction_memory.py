"""Benchmark (issue 21, item 7): server memory with 8 parallel predictions of a 6,324 x 6,324 PNG.

Run from the repository root::

    .venv/bin/python bench/bench_prediction_memory.py [--before COMMIT] [--predictions 8] [--no-model-only]

The picture is the attack's: black pixels, about 120 KB that decode to 120 MB. Side by side in one run, the
server of this checkout ("after") and the server of ``--before`` (default: the last commit before the fix; its
``core`` and ``plugins/playground`` are extracted with ``git archive`` and put first on ``PYTHONPATH``):

* ``no_model``: the playground is on but no model is trained (the attack's case: before the fix the picture was
  decoded, then answered 409).
* ``model``: 28 sample pictures donated and one version trained through the API, then the same predictions
  (after the fix they queue for the decoded-pixel budget, ``imagemonkey.decode_pixel_budget``).

RSS of the server is sampled every 20 ms from before the predictions until 5 s after the last answer. Prints the
RSS at start, the peak, the RSS 5 s after, and the answers.
"""
from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from before import old_code, python_path
from bench_playground_serving import LABELS, multipart, train
from common import (
    PYTHON,
    api,
    bench_settings,
    emitter,
    free_port,
    imagemonkey_server,
    new_token,
    rss_kib,
    write_ini,
)
from imagemonkey_playground import sample
from PIL import Image

emit = emitter("prediction_memory")
BEFORE = "2030fe7"  # the last commit before predictions looked up the model first and decoded within the budget


def big_png() -> bytes:
    """The attack's picture."""
    out = io.BytesIO()
    Image.new("RGB", (6324, 6324)).save(out, "PNG", compress_level=9)
    return out.getvalue()


def predict(port: int, data: bytes) -> int:
    body, content_type = multipart(data)
    status, _ = api(port, "POST", "/api/v1/playground/predictions", data=body, headers={"Content-Type": content_type})
    return status


def sampled(pid: int, action: Callable[[], list[int]]) -> tuple[int, int, int, list[int]]:
    """(start, peak, 5 s after) RSS in KiB of ``pid`` around ``action``, and its statuses."""
    start = peak = rss_kib(pid)
    done = threading.Event()

    def sample_rss() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    statuses = action()
    time.sleep(5)
    done.set()
    sampler.join()
    return start, peak, rss_kib(pid), statuses


def measure(folder: Path, variant: str, case: str, predictions: int, picture: bytes) -> None:
    """Start a server, prepare ``case``, send the predictions in parallel and sample its RSS."""
    data = folder / f"{variant}-{case}"
    data.mkdir()
    settings = {**bench_settings(data), "imagemonkey.plugins": "playground", "playground.rate": "off",
                "playground.min_images": "3", "playground.reload_seconds": "1"}
    ini = write_ini(data / "bench.ini", settings)
    subprocess.run([PYTHON, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator", "--config", str(ini)],
                   input=b"long-enough-secret\n", check=True, capture_output=True)
    port = free_port()
    with imagemonkey_server(ini, port, data / "server.log") as process:
        if case == "model":
            donor = new_token(port)
            for picture_data, labels in sample.build(28, seed=5, labels=LABELS):
                body, content_type = multipart(picture_data, labels)
                api(port, "POST", "/api/v1/images", token=donor, data=body, headers={"Content-Type": content_type})
            _, session = api(port, "POST", "/api/v1/sessions", {"username": "mod", "password": "long-enough-secret"})
            train(port, session["token"])
            time.sleep(2)  # reload_seconds: the server loads the active version
        with ThreadPoolExecutor(predictions) as pool:
            start, peak, after, statuses = sampled(
                process.pid, lambda: list(pool.map(lambda _: predict(port, picture), range(predictions))))
    emit(f"{variant}_{case}_peak_rss", round(peak / 1024, 1), "MiB", start_mib=round(start / 1024, 1),
         after_5s_mib=round(after / 1024, 1), answers=dict(Counter(statuses)), predictions=predictions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with (default %(default)s)")
    parser.add_argument("--predictions", type=int, default=8)
    parser.add_argument("--no-model-only", action="store_true", help="skip the case with a trained model")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="imagemonkey-bench-prediction-memory-"))
    picture = big_png()
    emit("picture_size", round(len(picture) / 1024, 1), "KiB", megapixels=round(6324 * 6324 / 1e6, 1))
    try:
        (tmp / "old").mkdir()
        old_path = old_code(args.before, tmp / "old")
        cases = ["no_model"] if args.no_model_only else ["no_model", "model"]
        for variant, path in (("before", old_path), ("after", None)):
            with python_path(path):
                for case in cases:
                    measure(tmp, variant, case, args.predictions, picture)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
