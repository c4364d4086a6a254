"""Benchmark (issue 24): GrabCut outline proposals, latency for a 1 MP picture and clicks to an accepted outline.

Run from the repository root::

    .venv/bin/python bench/bench_grabcut.py [--rounds 10]

Starts ``imagemonkey serve`` (SQLite, annotate plugin, rate limits off, 4 threads) on a temporary folder and
donates scikit-image's cat (chelsea), coffee cup and astronaut, each scaled up to about 1,000,000 pixels
(PNG, so the original is that size; the server works on its medium rendition, 1024 px on the longest side).
Then, ``--rounds`` times over the three pictures, sequential ``POST /api/v1/annotate/segment`` with the rough box
of ``tests/plugins/annotate/grabcut_support.py`` (scaled the same way):

* latency: client-side wall time per proposal, median and p90 (target < 1 s), and the server's own ``ms``;
* CPU: the thread CPU time of ``propose`` in this process on the same 1 MP pixels (median), which the load of a
  shared machine does not inflate as it does wall time;
* clicks: an accepted outline by suggestion costs 3 actions (the box's two corners and G) when the proposal's IoU
  with the hand-drawn outline is at least 0.7 (accepted as is), else those 3 plus drawing by hand; by hand it
  costs one click per vertex of the hand-drawn outline. Save is left out of both.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
from common import ROOT, api, bench_settings, emitter, free_port, imagemonkey_server, new_token, write_ini
from PIL import Image

sys.path.insert(0, str(ROOT / "tests" / "plugins" / "annotate"))
from grabcut_support import REFERENCES, iou, photograph, png  # noqa: E402

from imagemonkey_annotate.grabcut import propose  # noqa: E402
from imagemonkey_annotate.proposal import Box, Params  # noqa: E402

MEGAPIXEL = 1_000_000
ACCEPT_IOU = 0.7
SUGGEST_CLICKS = 3  # two box corners and G


def multipart(data: bytes, label: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n{label}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="p.png"\r\n'
            f"Content-Type: image/png\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def one_megapixel(name: str) -> tuple[np.ndarray, float]:
    """The photograph scaled to about 1 MP, and the factor."""
    pixels = photograph(name)
    factor = math.sqrt(MEGAPIXEL / (pixels.shape[0] * pixels.shape[1]))
    size = (round(pixels.shape[1] * factor), round(pixels.shape[0] * factor))
    return np.asarray(Image.fromarray(pixels).resize(size, Image.LANCZOS)), factor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    emit = emitter("grabcut")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        settings = {**bench_settings(tmp), "imagemonkey.plugins": "annotate", "annotate.segment_rate": "off"}
        ini = write_ini(tmp / "bench.ini", settings)
        port = free_port()
        with imagemonkey_server(ini, port, tmp / "server.log", threads=4):
            token = new_token(port)
            cases = []
            for name, (label, box, reference) in REFERENCES.items():
                pixels, factor = one_megapixel(name)
                body, kind = multipart(png(pixels), label)
                status, answer = api(port, "POST", "/api/v1/images", data=body, token=token,
                                     headers={"Content-Type": kind})
                assert status == 201, answer
                image = answer["image"]
                scaled_box = dict(zip(("x", "y", "width", "height"), (v * factor for v in box), strict=True))
                scaled_reference = [[x * factor, y * factor] for x, y in reference]
                cases.append((name, image, scaled_box, scaled_reference))
            pictures = {name: one_megapixel(name)[0] for name in REFERENCES}
            walls: list[float] = []
            cpu_ms: list[float] = []
            server_ms: list[float] = []
            overlaps: dict[str, float] = {}
            for _ in range(args.rounds):
                for name, image, box, reference in cases:
                    started = time.perf_counter()
                    status, answer = api(port, "POST", "/api/v1/annotate/segment",
                                         {"image_id": image["id"], "box": box}, token=token)
                    walls.append((time.perf_counter() - started) * 1000)
                    assert status == 200, answer
                    server_ms.append(answer["ms"])
                    overlaps[name] = iou(answer["polygon"], reference, image["width"], image["height"])
                    started = time.thread_time()
                    propose(pictures[name], Box(**box), Params())
                    cpu_ms.append((time.thread_time() - started) * 1000)
        pixels_each = [image["width"] * image["height"] for _, image, _, _ in cases]
        emit("picture_pixels", min(pixels_each), "px", max=max(pixels_each))
        emit("proposal_latency_median", round(statistics.median(walls), 1), "ms", target_max=1000,
             requests=len(walls))
        emit("proposal_latency_p90", round(statistics.quantiles(walls, n=10)[-1], 1), "ms", target_max=1000)
        emit("proposal_server_ms_median", round(statistics.median(server_ms), 1), "ms")
        emit("propose_cpu_median", round(statistics.median(cpu_ms), 1), "ms", note="thread CPU, in process")
        by_hand = suggested = 0
        for name, _, _, reference in cases:
            accepted = overlaps[name] >= ACCEPT_IOU
            clicks = SUGGEST_CLICKS if accepted else SUGGEST_CLICKS + len(reference)
            emit(f"clicks_{name}", clicks, "clicks", by_hand=len(reference), iou=round(overlaps[name], 3),
                 accepted=accepted)
            by_hand += len(reference)
            suggested += clicks
        emit("clicks_suggested_total", suggested, "clicks", by_hand=by_hand)
        emit("clicks_ratio", round(suggested / by_hand, 3), "suggested/by_hand")


if __name__ == "__main__":
    main()
