"""Benchmark (issue 12): the predictions endpoint against the raw model, throughput, and hot swap under load.

Run from the repository root::

    .venv/bin/python bench/bench_playground_serving.py [--requests 40] [--duration 10]

Starts ``imagemonkey serve`` (SQLite, playground plugin, 8 threads, rate limit off) on a temporary folder, donates
28 sample pictures (``imagemonkey_playground.sample``), and trains two versions through the API (a moderator made
with ``imagemonkey user add``; the server's own job consumer trains). Then, in one run:

* latency: ``--requests`` sequential multipart POSTs of held-out pictures to ``/api/v1/playground/predictions``
  (client-side wall time) interleaved with the raw work in this process on the same pictures: decode plus the
  active model's forward pass (``Predictor.predict`` on ``backbone.decode``), both with one torch thread. Medians
  and their ratio (target <= 1.3).
* throughput: predictions/s with 8 keep-alive connections for ``--duration`` seconds.
* hot swap: the same load while a moderator activates the two versions alternately 10 times; predictions/s,
  failed requests (target 0) and which versions answered.
"""
from __future__ import annotations

import argparse
import http.client
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import torch
from common import PYTHON, api, bench_settings, emitter, free_port, imagemonkey_server, new_token, write_ini
from imagemonkey_playground import backbone, sample
from imagemonkey_playground.model_file import ModelFile
from imagemonkey_playground.predictor import Predictor

from imagemonkey.storage import FileBlobStore

LABELS = ["cat", "cup", "person", "motorcycle"]


def multipart(data: bytes, labels: list[str] = ()) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n{label}\r\n'.encode()
             for label in labels]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="p.jpg"\r\n'
                 f"Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def train(port: int, token: str) -> None:
    status, body = api(port, "POST", "/api/v1/playground/models", token=token)
    assert status == 202, body
    while True:
        _, job = api(port, "GET", f"/api/v1/jobs/{body['job']['id']}", token=token)
        if job["state"] in ("done", "failed"):
            assert job["state"] == "done", job
            return
        time.sleep(0.5)


def predict(connection: http.client.HTTPConnection, data: bytes) -> tuple[int, dict]:
    body, content_type = multipart(data)
    connection.request("POST", "/api/v1/playground/predictions", body, {"Content-Type": content_type})
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def load(port: int, pictures: list[bytes], seconds: float, during: threading.Event | None = None) -> dict:
    """8 connections predicting for ``seconds`` (or until ``during`` is cleared); counts and versions."""
    counts = {"ok": 0, "failed": 0}
    versions: set[int] = set()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        turn = index
        while (during.is_set() if during is not None else time.monotonic() < deadline):
            try:
                status, answer = predict(connection, pictures[turn % len(pictures)])
            except (OSError, http.client.HTTPException, ValueError):
                status, answer = 0, {}
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                counts["ok" if status == 200 else "failed"] += 1
                if status == 200:
                    versions.add(answer["model"]["version"])
            turn += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {**counts, "seconds": time.monotonic() - started, "versions": sorted(versions)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    emit = emitter("playground_serving")
    torch.set_num_threads(1)
    pictures = sample.build(52, seed=5, labels=LABELS)
    with tempfile.TemporaryDirectory(prefix="bench-playground-") as tmp:
        folder = Path(tmp)
        settings = {**bench_settings(folder), "imagemonkey.plugins": "playground", "playground.rate": "off",
                    "playground.min_images": "3", "playground.reload_seconds": "1"}
        ini = write_ini(folder / "bench.ini", settings)
        subprocess.run([PYTHON, "-m", "imagemonkey", "user", "add", "mod", "--role", "moderator", "--config",
                        str(ini)], input=b"long-enough-secret\n", check=True, capture_output=True)
        port = free_port()
        with imagemonkey_server(ini, port, folder / "server.log"):
            donor = new_token(port)
            for data, labels in pictures[:28]:
                body, content_type = multipart(data, labels)
                api(port, "POST", "/api/v1/images", token=donor, data=body, headers={"Content-Type": content_type})
            _, session = api(port, "POST", "/api/v1/sessions", {"username": "mod", "password": "long-enough-secret"})
            moderator = session["token"]
            train(port, moderator)
            train(port, moderator)
            database = sqlite3.connect(folder / "imagemonkey.sqlite")
            key = database.execute("SELECT weights_key FROM playground_model WHERE status = 'active'").fetchone()[0]
            ids = [row[0] for row in database.execute("SELECT id FROM playground_model ORDER BY id")]
            database.close()
            predictor = Predictor(ModelFile.from_bytes(FileBlobStore(folder / "images").get(key)))
            held_out = [data for data, _ in pictures[28:]]
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            predict(connection, held_out[0])  # warm up both sides
            predictor.predict(backbone.decode(held_out[0]))
            endpoint, raw = [], []
            for index in range(args.requests):
                data = held_out[index % len(held_out)]
                started = time.perf_counter()
                status, _ = predict(connection, data)
                endpoint.append(time.perf_counter() - started)
                assert status == 200
                started = time.perf_counter()
                predictor.predict(backbone.decode(data))
                raw.append(time.perf_counter() - started)
            endpoint_ms, raw_ms = statistics.median(endpoint) * 1000, statistics.median(raw) * 1000
            emit("endpoint_latency_median", round(endpoint_ms, 1), "ms", requests=args.requests)
            emit("raw_decode_forward_median", round(raw_ms, 1), "ms", requests=args.requests)
            emit("endpoint_vs_raw", round(endpoint_ms / raw_ms, 3), "ratio", target_max=1.3)
            steady = load(port, held_out, args.duration)
            emit("predictions_per_s_8_connections", round(steady["ok"] / steady["seconds"], 1), "req/s",
                 failed=steady["failed"], seconds=round(steady["seconds"], 1))
            during = threading.Event()
            during.set()
            result: dict = {}
            loader = threading.Thread(target=lambda: result.update(load(port, held_out, 0, during)))
            loader.start()
            for turn in range(10):
                time.sleep(args.duration / 10)
                status, _ = api(port, "POST", f"/api/v1/playground/models/{ids[turn % 2]}/activate", {},
                                token=moderator)
                assert status == 200
            time.sleep(1.5)  # the last activation is noticed (reload_seconds = 1)
            during.clear()
            loader.join()
            emit("hot_swap_predictions_per_s", round(result["ok"] / result["seconds"], 1), "req/s", activations=10,
                 versions_seen=result["versions"], seconds=round(result["seconds"], 1))
            emit("hot_swap_failed_requests", result["failed"], "requests", target_max=0)


if __name__ == "__main__":
    sys.exit(main())
