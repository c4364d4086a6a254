"""Dataset releases (the datasets plugin): build throughput against ``tar`` of the same stored files, peak memory at
100,000 images, the time to write one more format from a release's snapshot; downloads of a 1 GB release file
through ``imagemonkey serve`` against ``python -m http.server``, and the API's p99 latency while 20 downloads run.

JSON lines (see bench/README.md). The database is SQLite built with the real migrations and filled with plain
INSERTs; pictures are real JPEGs in the file blob store, each made unique by bytes after its end-of-image marker
(decoders ignore them). Builds run in fresh subprocesses (``--child``) so their RSS baseline is clean.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import bench_settings, emitter, free_port, imagemonkey_server, server, write_ini  # noqa: E402

emit = emitter("release")
LABELS = ["dog", "cat", "car", "tree", "chair"]


def jpeg(size: int) -> bytes:
    """A real JPEG of about ``size`` bytes (noise compresses badly, so the size follows the pixel count)."""
    import numpy as np
    from PIL import Image

    side = max(8, int((size / 1.2) ** 0.5))
    pixels = np.random.default_rng(1).integers(0, 256, (side, side, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=85)
    return out.getvalue()


def build_data(data_dir: Path, images: int, size: int) -> list[Path]:
    """A migrated database with ``images`` public images (two labels each, one box), their files stored."""
    from sqlalchemy import text

    from imagemonkey.db.engine import make_engine
    from imagemonkey.db.migrate import upgrade
    from imagemonkey.services.near_duplicates import band_columns
    from imagemonkey.storage import FileBlobStore

    engine = make_engine(f"sqlite:///{data_dir / 'imagemonkey.sqlite'}")
    upgrade(engine, ["datasets"])
    store = FileBlobStore(data_dir / "images")
    base, now = jpeg(size), datetime.now(UTC).isoformat(sep=" ")
    paths = []
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO contributor (id, kind, role, blocked, created_at) "
                          "VALUES (1, 'client', 'contributor', 0, :now)"), {"now": now})
        for start in range(1, images + 1, 5000):
            rows, labels = [], []
            for i in range(start, min(start + 5000, images + 1)):
                data = base + i.to_bytes(8, "big")
                key = hashlib.sha256(data).hexdigest()
                path = store.path_for(key)  # written directly: the store's put fsyncs every file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                paths.append(path)
                rows.append({"id": i, "sha": key, "now": now, **band_columns(i)})
                labels += [{"id": 2 * i - k, "image_id": i, "label": LABELS[(i + k) % 5], "now": now} for k in (0, 1)]
            conn.execute(text(
                "INSERT INTO image (id, status, format, width, height, upload_sha256, original_key, medium_key, "
                "thumb_key, phash, phash_b0, phash_b1, phash_b2, donor_id, label_count, created_at) VALUES "
                "(:id, 'public', 'jpeg', 64, 64, :sha, :sha, :sha, :sha, :id, :phash_b0, :phash_b1, :phash_b2, 1, 2, "
                ":now)"), rows)
            conn.execute(text("INSERT INTO image_label (id, image_id, label, contributor_id, created_at) "
                              "VALUES (:id, :image_id, :label, 1, :now)"), labels)
    engine.dispose()
    return paths


def rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def app_registry(data_dir: Path) -> object:
    from imagemonkey.app import make_app

    return make_app({"imagemonkey.data_dir": str(data_dir), "imagemonkey.plugins": "datasets",
                     "sqlalchemy.url": f"sqlite:///{data_dir / 'imagemonkey.sqlite'}",
                     "imagemonkey.storage": f"file://{data_dir / 'images'}"}).registry


def child_build(data_dir: Path, version: str, formats: list[str]) -> None:
    """Build one release here; print ``{"seconds", "images", "peak_growth_mb"}``."""
    from imagemonkey_datasets.build import build_release
    from imagemonkey_datasets.releases import create_release

    from imagemonkey.plugin import app_request

    registry = app_registry(data_dir)
    with app_request(registry) as request:
        release_id = create_release(request, version=version, formats=formats, include_unverified=True).id
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    baseline = rss_mb("VmRSS")
    start = time.perf_counter()
    result = build_release(registry, release_id, lambda share, message=None: None)
    print(json.dumps({"seconds": time.perf_counter() - start, "images": result["counts"]["images"],
                      "peak_growth_mb": rss_mb("VmHWM") - baseline}))


def child_add_format(data_dir: Path, version: str, fmt: str) -> None:
    """Add format ``fmt`` to release ``version`` here (its archive from the stored snapshot, the listings again)."""
    from imagemonkey_datasets.add_format import add_format
    from imagemonkey_datasets.models import Release
    from sqlalchemy import select

    from imagemonkey.plugin import app_request

    registry = app_registry(data_dir)
    with app_request(registry) as request:
        release_id = request.dbsession.scalar(select(Release.id).where(Release.version == version))
    start = time.perf_counter()
    add_format(registry, release_id, fmt, lambda share, message=None: None)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_build(folder: Path, images: int, size: int, rounds: int) -> None:
    data_dir = folder / "build"
    data_dir.mkdir()
    paths = build_data(data_dir, images, size)
    listing = folder / "files.txt"
    listing.write_text("".join(f"{path}\n" for path in paths))
    stored = sum(path.stat().st_size for path in paths)
    tar_rates, release_rates = [], []
    for n in range(rounds):  # interleaved: the machine is shared
        start = time.perf_counter()
        subprocess.run(["tar", "cf", str(folder / "baseline.tar"), "-T", str(listing)], check=True,
                       stderr=subprocess.DEVNULL)
        tar_rates.append(images / (time.perf_counter() - start))
        (folder / "baseline.tar").unlink()
        result = run_child("build", str(data_dir), f"wds{n}", "webdataset")
        release_rates.append(result["images"] / result["seconds"])
    tar_rate, release_rate = statistics.median(tar_rates), statistics.median(release_rates)
    emit("tar_images_per_second", round(tar_rate), "images/s", images=images, stored_mb=round(stored / 1e6, 1))
    emit("release_webdataset_images_per_second", round(release_rate), "images/s", images=images,
         note="snapshot + WebDataset shards + card, Croissant, checksums, stored in the blob store")
    emit("release_vs_tar", round(release_rate / tar_rate, 2), "x", target_min=0.5)
    every = run_child("build", str(data_dir), "all", "coco", "voc", "yolo", "imagefolder", "webdataset")
    emit("release_five_formats_images_per_second", round(every["images"] / every["seconds"]), "images/s",
         formats=5, note="each image is written into five archives")
    emit("release_five_formats_vs_tar_per_format", round(every["images"] * 5 / every["seconds"] / tar_rate, 2),
         "x", target_min=0.5)
    added = run_child("add-format", str(data_dir), "all", "labelme")
    emit("add_one_format_seconds", round(added["seconds"], 2), "s", images=images, format="labelme",
         build_seconds=round(every["seconds"], 2), note="POST /api/v1/releases/{version}/formats's job")


def bench_memory(folder: Path, images: int) -> None:
    data_dir = folder / "memory"
    data_dir.mkdir()
    start = time.perf_counter()
    build_data(data_dir, images, 200)
    emit("fill_database", round(time.perf_counter() - start, 1), "s", images=images)
    result = run_child("build", str(data_dir), "big", "coco", "webdataset", "imagefolder")
    emit("peak_rss_growth", round(result["peak_growth_mb"], 1), "MB", images=result["images"], target_max=200,
         formats="coco webdataset imagefolder", seconds=round(result["seconds"], 1))


def one_gib_release(data_dir: Path, size: int) -> tuple[str, Path]:
    """A data dir with a ready release whose one file is ``size`` bytes of noise in the blob store."""
    from sqlalchemy import text

    from imagemonkey.db.engine import make_engine
    from imagemonkey.db.migrate import upgrade
    from imagemonkey.storage import FileBlobStore

    engine = make_engine(f"sqlite:///{data_dir / 'imagemonkey.sqlite'}")
    upgrade(engine, ["datasets"])
    temp = data_dir / "big.tmp"
    digest = hashlib.sha256()
    chunk = os.urandom(1 << 20)
    with open(temp, "wb") as out:
        for _ in range(size >> 20):
            out.write(chunk)
            digest.update(chunk)
    key = digest.hexdigest()
    path = FileBlobStore(data_dir / "images").path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp.rename(path)
    now = datetime.now(UTC).isoformat(sep=" ")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO datasets_release (id, version, revision, status, formats, include_unverified, "
                          "license, counts, digest, created_at, finished_at) VALUES (1, '1.0', 1, 'ready', "
                          "'webdataset', 0, 'CC0-1.0', '{}', :key, :now, :now)"), {"key": key, "now": now})
        conn.execute(text("INSERT INTO datasets_file (release_id, name, format, bytes, blob_key, withdrawn) VALUES "
                          "(1, 'big.tar', 'webdataset', :size, :key, 0)"), {"size": size, "key": key})
    engine.dispose()
    return key, path


def curl_speed(url: str) -> float:
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{speed_download}", url], check=True,
                         capture_output=True, text=True, timeout=300)
    return float(out.stdout) / 1e6


def latencies(port: int, seconds: float) -> list[float]:
    """Sequential GET /api/v1/releases/latest on one keep-alive connection for ``seconds``: ms each."""
    found = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.perf_counter()
        connection.request("GET", "/api/v1/releases/latest")
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200, answer.status
        found.append((time.perf_counter() - start) * 1000)
    connection.close()
    return found


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def bench_downloads(folder: Path, size: int, rounds: int, seconds: float) -> None:
    data_dir = folder / "serve"
    data_dir.mkdir()
    _, path = one_gib_release(data_dir, size)
    settings = bench_settings(data_dir)
    settings["imagemonkey.plugins"] = "datasets"
    ini = write_ini(folder / "serve.ini", settings)
    app_port, static_port = free_port(), free_port()
    with imagemonkey_server(ini, app_port, folder / "serve.log"), \
            server(["-m", "http.server", "--bind", "127.0.0.1", "--directory", str(path.parent), str(static_port)],
                   static_port, folder / "static.log"):
        ours, theirs = [], []
        for _ in range(rounds):
            ours.append(curl_speed(f"http://127.0.0.1:{app_port}/api/v1/releases/1.0/files/big.tar"))
            theirs.append(curl_speed(f"http://127.0.0.1:{static_port}/{path.name}"))
        emit("download_imagemonkey_serve", round(statistics.median(ours)), "MB/s", bytes=size)
        emit("download_http_server", round(statistics.median(theirs)), "MB/s", bytes=size)
        emit("download_vs_http_server", round(statistics.median(ours) / statistics.median(theirs), 2), "x",
             target_min=0.8)
        idle = latencies(app_port, seconds)
        emit("api_p99_idle", round(p99(idle), 2), "ms", requests=len(idle))
        for rate in ("10M", None):  # clients on a network (10 MB/s each), then loopback at full speed
            busy = during_downloads(app_port, seconds, rate)
            label = f"limited_{rate}B_per_s" if rate else "unlimited"
            emit(f"api_p99_during_20_downloads_{label}", round(p99(busy), 2), "ms", requests=len(busy))
            emit(f"api_p99_ratio_{label}", round(p99(busy) / p99(idle), 2), "x", target_max=2)


def during_downloads(port: int, seconds: float, rate: str | None) -> list[float]:
    """API latencies while 20 curl processes download the release file over and over (``rate``: curl's
    --limit-rate per download, None: as fast as loopback goes)."""
    stop = threading.Event()
    limit = ["--limit-rate", rate] if rate else []

    def download_loop() -> None:
        while not stop.is_set():
            subprocess.run(["curl", "-s", "-o", "/dev/null", "--max-time", str(int(seconds) + 5), *limit,
                            f"http://127.0.0.1:{port}/api/v1/releases/1.0/files/big.tar"], check=False)
    workers = [threading.Thread(target=download_loop, daemon=True) for _ in range(20)]
    for worker in workers:
        worker.start()
    time.sleep(1)
    busy = latencies(port, seconds)
    stop.set()
    for worker in workers:
        worker.join(timeout=seconds + 10)
    return busy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs="+")
    parser.add_argument("--images", type=int, default=5000, help="images of the throughput comparison")
    parser.add_argument("--image-bytes", type=int, default=30_000)
    parser.add_argument("--memory-images", type=int, default=100_000)
    parser.add_argument("--download-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0, help="each latency window")
    parser.add_argument("--only", choices=["build", "memory", "downloads"])
    args = parser.parse_args()
    if args.child:
        kind, data_dir, version, *rest = args.child
        if kind == "build":
            child_build(Path(data_dir), version, rest)
        else:
            child_add_format(Path(data_dir), version, rest[0])
        return
    with tempfile.TemporaryDirectory(prefix="bench-release-") as folder:
        if args.only in (None, "build"):
            bench_build(Path(folder), args.images, args.image_bytes, args.rounds)
        if args.only in (None, "memory"):
            bench_memory(Path(folder), args.memory_images)
        if args.only in (None, "downloads"):
            bench_downloads(Path(folder), args.download_mb << 20, args.rounds, args.seconds)


if __name__ == "__main__":
    main()
