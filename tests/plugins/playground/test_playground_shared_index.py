"""The similar-pictures index shared through object storage: hosts with their own data dirs, one bucket, one database.

Each app below stands for a host: its own data dir (so nothing is shared through files), the same S3 bucket (a real
moto server) and the same database. Run it on PostgreSQL too:
``IMAGEMONKEY_TEST_DB=postgresql://... pytest tests/plugins/playground/test_playground_shared_index.py``.
"""
from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from imagemonkey_playground.sample import encode, photograph
from PIL import Image as PILImage
from playground_support import SETTINGS
from webtest import TestApp

from imagemonkey.plugin import enqueue_job
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs

pytest.importorskip("boto3")
sys.path.insert(0, str(Path(__file__).parents[2] / "core"))

PHOTOS = {"cat": "chelsea", "cup": "coffee", "person": "astronaut"}


@lru_cache(maxsize=1)
def pictures() -> list[tuple[bytes, str]]:
    """Three variants (the photograph, its mirror image, a crop) of each of three photographs, as (JPEG, label)."""
    found = []
    for label, name in PHOTOS.items():
        picture = photograph(name)
        width, height = picture.size
        for variant in (picture, picture.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT),
                        picture.crop((width // 10, height // 10, width - width // 10, height - height // 10))):
            found.append((encode(variant.resize((192, round(192 * variant.height / variant.width)))), label))
    return found


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from s3server import start_moto_server, stop_moto_server

    url, process = start_moto_server()
    yield url
    stop_moto_server(process)


@pytest.fixture
def hosts(app_factory: Callable[..., TestApp], s3_endpoint: str) -> Callable[..., TestApp]:
    """``host(reload_seconds)``: one more app on the first one's database and a fresh bucket shared by all."""
    import boto3

    bucket = f"shared-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)
    storage = {"imagemonkey.storage": f"s3://{bucket}/site", "imagemonkey.s3.endpoint_url": s3_endpoint,
               "imagemonkey.s3.region": "us-east-1", "imagemonkey.s3.access_key_id": "testing",
               "imagemonkey.s3.secret_access_key": "testing"}
    built: list[TestApp] = []

    def host(reload_seconds: str = "0") -> TestApp:
        database = {"sqlalchemy.url": built[0].app.registry.settings["sqlalchemy.url"]} if built else {}
        built.append(app_factory(plugins=("playground",), **{**SETTINGS, **storage, **database,
                                                              "playground.reload_seconds": reload_seconds,
                                                              "playground.similar_k": "2",
                                                              "playground.similar_segment_size": "4"}))
        return built[-1]

    return host


def donate(app: TestApp, chosen: list[tuple[bytes, str]]) -> list[int]:
    """The pictures donated with their labels (public at once: post-moderation); their ids."""
    donor = new_client(app)
    return [int(app.post("/api/v1/images", params=[("label", label)], upload_files=[("image", "p.jpg", data)],
                         headers=auth(donor)).json["image"]["id"]) for data, label in chosen]


def update(app: TestApp, name: str = "playground.similar_update") -> dict[str, Any]:
    """Run the periodic job (or ``name``) on ``app``: embeds new public pictures, updates and publishes the index;
    its result."""
    job = enqueue_job(app.app.registry, name)
    run_jobs(app)
    answer = app.get(f"/api/v1/jobs/{job}", headers=auth(new_moderator(app, f"jobs{uuid.uuid4().hex[:8]}"))).json
    assert answer["state"] == "done", answer
    return answer["result"]


def similar_ids(app: TestApp, image_id: int) -> list[int]:
    """The ids ``similar:ID`` matches, as ``app`` answers it."""
    answer = app.get("/api/v1/images", params={"q": f"similar:{image_id}"}).json
    return sorted(int(image["id"]) for image in answer["images"])


def published(app: TestApp) -> tuple[list[str], int]:
    """The published index's segment blob keys and vector count, from the database."""
    from imagemonkey_playground.models import SharedIndex

    with app.app.registry["dbsession_factory"]() as session:
        row = session.query(SharedIndex).one()
        return json.loads(row.blob_keys), row.count


def index_files(app: TestApp) -> list[str]:
    """The names of the files in ``app``'s ``<data_dir>/playground``."""
    return sorted(path.name for path in Path(app.app.registry.settings["imagemonkey.data_dir"], "playground").iterdir())


def copy_names(writer: TestApp, keys: list[str]) -> list[str]:
    """The names a reader gives its copies of segment blobs ``keys``: the name of the writer's first segment, with
    the key."""
    own = next(name for name in index_files(writer) if name.endswith(".usearch") and name.count(".") == 1)
    return sorted(f"{Path(own).stem}.{key}.usearch" for key in keys)


def copy_file(reader: TestApp, writer: TestApp, key: str) -> Path:
    """The reader's copy of segment blob ``key``."""
    return Path(reader.app.registry.settings["imagemonkey.data_dir"], "playground", copy_names(writer, [key])[0])


def test_hosts_share_the_index_through_object_storage(hosts: Callable[..., TestApp]) -> None:
    writer = hosts()  # segments of 4 pictures
    first = donate(writer, pictures()[:6])
    assert update(writer)["added"] == 6
    keys, count = published(writer)
    assert count == 6 and len(keys) == 2

    reader = hosts("3600")  # checks the published index at most hourly (its interval is shortened below)
    assert similar_ids(reader, first[0]) == similar_ids(writer, first[0]) == sorted(first[1:3])
    store = reader.app.registry["blobstore"]
    assert index_files(reader) == copy_names(writer, keys)  # the reader's copies, named by their keys
    full = copy_file(reader, writer, keys[0]).stat().st_mtime_ns

    people = donate(writer, pictures()[6:])
    assert update(writer)["added"] == 3
    newer, count = published(writer)
    assert count == 9 and len(newer) == 3 and newer[0] == keys[0] and newer[1] != keys[1]  # the full one stays
    assert all(store.exists(key) for key in newer) and not store.exists(keys[1])
    answer = reader.get("/api/v1/images", params={"q": f"similar:{people[0]}"}, status=409).json
    assert answer["error"]["code"] == "not_embedded"  # within its interval the reader answers from its copy
    holder = reader.app.registry["playground.similar"]
    holder.interval = 0  # the interval elapsed
    with ThreadPoolExecutor(1) as pool, holder.lock:  # as while another request checks and downloads the new copy:
        held = pool.submit(lambda: reader.get("/api/v1/images", params={"q": f"similar:{people[0]}"}, status=409))
        assert held.result(timeout=30).json["error"]["code"] == "not_embedded"  # answered from the copy held
    assert similar_ids(reader, people[0]) == similar_ids(writer, people[0]) == sorted(people[1:])
    assert index_files(reader) == copy_names(writer, newer)  # the replaced segment's copy removed
    assert copy_file(reader, writer, newer[0]).stat().st_mtime_ns == full  # the unchanged one not downloaded again

    fresh = hosts()  # a writer on a fresh host starts from the stored copy and adds only the new embedding
    rocket = donate(fresh, [(encode(photograph("rocket").resize((192, 288))), "rocket")])
    result = update(fresh)
    latest, count = published(fresh)
    assert result["added"] == 1 and result["size"] == 10 and count == 10 and latest[:2] == newer[:2]
    assert not store.exists(newer[2])
    assert similar_ids(reader, rocket[0]) == similar_ids(writer, rocket[0]) != []

    rebuilt = update(reader, "playground.similar_rebuild")  # any host may rebuild: from every embedding
    keys, count = published(reader)
    assert rebuilt["added"] == 10 and count == 10 and len(keys) == 3 and all(store.exists(key) for key in keys)
    assert not any(store.exists(key) for key in latest if key not in keys)
    assert similar_ids(writer, first[0]) == sorted(first[1:3])


def test_gc_keeps_the_published_index(hosts: Callable[..., TestApp], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """``imagemonkey gc`` on object storage keeps the published index (imagemonkey_blobs_in_use), not an orphan."""
    from imagemonkey.cli import main

    writer = hosts()
    donate(writer, pictures()[:2])
    update(writer)
    (key,), _ = published(writer)
    store = writer.app.registry["blobstore"]
    orphan = store.put(b"nobody uses this", "application/octet-stream")
    settings = {name: value for name, value in writer.app.registry.settings.items()
                if isinstance(value, str) and name.startswith(("imagemonkey.", "sqlalchemy.url", "playground."))}
    config = tmp_path / "site.ini"
    lines = [f"{name} = {value}\n" for name, value in {**settings, "imagemonkey.plugins": "playground"}.items()]
    config.write_text("[app:main]\nuse = egg:imagemonkey\n" + "".join(lines))
    assert main(["gc", "--grace", "0", "--config", str(config)]) == 0
    assert "removed 1 unreferenced blobs" in capsys.readouterr().out
    assert store.exists(key) and not store.exists(orphan)
