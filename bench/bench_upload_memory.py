"""Benchmark (issue 14, item 2): server memory with 8 parallel 40-megapixel uploads.

Run from the repository root::

    .venv/bin/python bench/bench_upload_memory.py [--uploads 8]

Each upload is a PNG of about 39.7 megapixels of black (about 120 KB that decode to 120 MB), all
different. Side by side in one run: ``imagemonkey serve`` with the decoded-pixel budget
(``imagemonkey.decode_pixel_budget``, default 48 megapixels) and with the budget set so high that it
never binds (the state before the fix). RSS of the server is sampled every 20 ms from before the
uploads until 5 s after the last answer. Prints the RSS at start, the peak, the RSS 5 s after, and
the answers (201, or 503 with Retry-After when an upload waited longer than
``imagemonkey.decode_wait_seconds``).
"""
from __future__ import annotations

import argparse
import http.client
import io
import json
import shutil
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import bench_settings, emitter, free_port, imagemonkey_server, new_token, rss_kib, write_ini
from PIL import Image

emit = emitter("upload_memory")
UNBOUNDED = str(10**12)


def zero_png(width: int, height: int) -> bytes:
    """Black RGB pixels, compressed as far as PNG goes."""
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, "PNG", compress_level=9)
    return out.getvalue()


def upload(port: int, token: str, data: bytes) -> int:
    """POST one image; the answer's status."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"z.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("POST", "/api/v1/images", body, {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                      "Authorization": f"Bearer {token}"})
    answer = connection.getresponse()
    json.loads(answer.read())
    connection.close()
    return answer.status


def measure(folder: Path, name: str, budget: str, pictures: list[bytes]) -> None:
    """Start a server with ``budget``, send the uploads in parallel, sample its RSS."""
    settings = {**bench_settings(folder / name), "imagemonkey.decode_pixel_budget": budget}
    ini = write_ini(folder / f"{name}.ini", settings)
    port = free_port()
    with imagemonkey_server(ini, port, folder / f"{name}.log") as process:
        token = new_token(port)
        start_rss = rss_kib(process.pid)
        peak = start_rss
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss_kib(process.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        with ThreadPoolExecutor(len(pictures)) as pool:
            statuses = list(pool.map(lambda data: upload(port, token, data), pictures))
        seconds = round(time.perf_counter() - started, 1)
        time.sleep(5)
        done.set()
        sampler.join()
        after = rss_kib(process.pid)
    emit(f"{name}_peak_rss", round(peak / 1024, 1), "MiB", start_mib=round(start_rss / 1024, 1),
         after_5s_mib=round(after / 1024, 1), answers=dict(Counter(statuses)), seconds=seconds,
         target_max=600 if name == "budget" else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=8)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="imagemonkey-bench-upload-memory-"))
    try:
        pictures = [zero_png(7000 + i, 5670) for i in range(args.uploads)]
        emit("upload_size", round(sum(map(len, pictures)) / len(pictures) / 1024, 1), "KiB",
             megapixels=round(7000 * 5670 / 1e6, 1))
        for name, budget in (("budget", "48000000"), ("no_budget", UNBOUNDED)):
            (tmp / name).mkdir()
            measure(tmp, name, budget, pictures)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
