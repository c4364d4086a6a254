"""GET /api/v1/export through ``imagemonkey serve``: time to first byte and peak memory at 10,000 and 100,000 images.

Each size gets a fresh SQLite site with the datasets plugin: N public images labelled ``dog`` (synthetic
rows, every stored original a hard link of one small JPEG, so the export streams real files) and ten
``cat`` images for a warm-up export. The server's resident memory is sampled every 20 ms while the whole
``q=dog`` archive is read; the figure is its peak growth over the level before the request. The time to
first byte is the median of seven requests that read one byte and leave.
Targets: first byte under 1 s at 100,000 images; memory flat in the number of images.

    .venv/bin/python bench/bench_export.py [--sizes 10000 100000] [--format json] [--postgres URL]
"""
from __future__ import annotations

import argparse
import http.client
import io
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path

from PIL import Image
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from common import (  # noqa: E402
    bench_settings,
    emitter,
    free_port,
    imagemonkey_server,
    postgres_database,
    rss_kib,
    write_ini,
)

from imagemonkey.app import make_app  # noqa: E402
from imagemonkey.db.engine import make_engine  # noqa: E402
from imagemonkey.db.migrate import upgrade  # noqa: E402
from imagemonkey.query.dataset import image_row, insert_images  # noqa: E402
from imagemonkey.scripting import app_request  # noqa: E402

emit = emitter("export")
PLUGINS = "datasets"
LINKS_PER_FILE = 50_000
TRIES = 7


def build_site(folder: Path, images: int, database: str | None) -> Path:
    """A migrated site under ``folder`` (on ``database``, else SQLite) with ``images`` dog images and 10 cat
    images; returns its ini."""
    settings = {**bench_settings(folder, database), "imagemonkey.plugins": PLUGINS,
                "datasets.max_export_images": str(images + 10)}
    engine = make_engine(settings["sqlalchemy.url"])
    upgrade(engine, PLUGINS.split())
    engine.dispose()
    app = make_app(dict(settings))
    rows = [(i, 64, 48, "public", ["dog"]) for i in range(1, images + 1)]
    rows += [(images + i, 64, 48, "public", ["cat"]) for i in range(1, 11)]
    with app_request(app.registry) as request:
        insert_images(request.dbsession, rows)
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(picture, "JPEG")
    store = app.registry["blobstore"]
    for index, (image_id, *_) in enumerate(rows):
        source = folder / f"source-{index // LINKS_PER_FILE}.jpg"  # a file takes at most 65,000 links on ext4
        if index % LINKS_PER_FILE == 0:
            source.write_bytes(picture.getvalue())
        path = store.path_for(image_row(image_id, 64, 48)["original_key"])
        path.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, path)
    if database:  # what autovacuum does on a live site; freshly bulk-loaded tables have no statistics yet
        engine = make_engine(database)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
        engine.dispose()
    return write_ini(folder / "bench.ini", settings)


def first_byte(port: int, query: str, fmt: str) -> float:
    """Seconds from sending the request to the first byte of the archive; then the client leaves."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", f"/api/v1/export?q={query}&format={fmt}")
    answer = connection.getresponse()
    answer.read(1)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def read_export(port: int, query: str, fmt: str, pid: int) -> dict[str, float]:
    """Read one export to the end: total seconds, bytes, and the server's peak RSS growth."""
    baseline = rss_kib(pid)
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", f"/api/v1/export?q={query}&format={fmt}")
    answer = connection.getresponse()
    if answer.status != 200:
        raise RuntimeError(f"export answered {answer.status}: {answer.read()[:500]!r}")
    size = 0
    while block := answer.read(1 << 16):
        size += len(block)
    total = time.perf_counter() - started
    done.set()
    sampler.join()
    connection.close()
    return {"total_s": total, "bytes": size, "peak_growth_kib": peak[0] - baseline}


def measure(folder: Path, images: int, database: str | None, fmt: str, growth: dict[int, float]) -> None:
    """Build one size's site, serve it, warm up, export, print its figures (peak growth into ``growth``)."""
    built = time.perf_counter()
    ini = build_site(folder, images, database)
    where = {"database": "postgresql" if database else "sqlite"}
    emit("site_build", round(time.perf_counter() - built, 1), "s", images=images, **where)
    port = free_port()
    with imagemonkey_server(ini, port, folder / "serve.log") as process:
        read_export(port, "cat", fmt, process.pid)  # imports and first queries, off the clock
        figures = read_export(port, "dog", fmt, process.pid)
        tries = []
        for _ in range(TRIES):
            time.sleep(0.5)  # the export the last client left gives its slot back
            tries.append(first_byte(port, "dog", fmt))
    growth[images] = figures["peak_growth_kib"] / 1024
    emit("first_byte", round(statistics.median(tries) * 1000, 1), "ms", images=images, format=fmt, **where,
         tries=TRIES, max_ms=round(max(tries) * 1000, 1), **({"target_max": 1000} if images >= 100_000 else {}))
    emit("peak_rss_growth", round(growth[images], 1), "MiB", images=images, format=fmt, **where)
    emit("images_per_s", round(images / figures["total_s"]), "images/s", images=images, format=fmt, **where,
         archive_mib=round(figures["bytes"] / 2**20, 1), total_s=round(figures["total_s"], 1))


def main() -> None:
    """Build each size's site, serve it, warm up, export, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--format", default="json")
    parser.add_argument("--postgres", metavar="URL",
                        help="a PostgreSQL server: each size runs in a fresh database wt_client_bench_export there")
    args = parser.parse_args()
    growth: dict[int, float] = {}
    for images in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
        database = postgres_database(args.postgres, "wt_client_bench_export") if args.postgres else nullcontext(None)
        try:
            with database as url:
                measure(folder, images, url, args.format, growth)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if len(growth) >= 2:
        small, large = min(growth), max(growth)
        emit("peak_rss_growth_ratio", round(growth[large] / max(growth[small], 0.1), 2), "x",
             images=f"{large} vs {small}", note="flat in the number of images: close to 1")


if __name__ == "__main__":
    main()
