"""Releases on object storage (S3 through moto_server): files live in the bucket, downloads redirect to a signed URL.

Run it on PostgreSQL too: ``IMAGEMONKEY_TEST_DB=postgresql://... pytest tests/plugins/datasets``.
"""
from __future__ import annotations

import hashlib
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[2] / "core"))
from datasets_support import PHOTOS, build_photo_dataset, local_url, release  # noqa: E402

from imagemonkey.testing import auth, new_moderator, run_jobs  # noqa: E402

pytest.importorskip("imagemonkey_validate")
pytest.importorskip("boto3")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from s3server import start_moto_server, stop_moto_server

    url, process = start_moto_server()
    yield url
    stop_moto_server(process)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as answer:
        return answer.status, answer.read()


def test_release_on_s3_redirects_to_signed_urls_and_takedowns_work(app_factory: Any, s3_endpoint: str) -> None:
    import boto3

    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket="releases")
    app = app_factory(plugins=("validate", "annotate", "datasets"), **{
        "imagemonkey.moderation": "post", "imagemonkey.storage": "s3://releases/im",
        "imagemonkey.s3.endpoint_url": s3_endpoint, "imagemonkey.s3.region": "us-east-1",
        "imagemonkey.s3.access_key_id": "testing", "imagemonkey.s3.secret_access_key": "testing"})
    data = build_photo_dataset(app, PHOTOS[:2])
    moderator = new_moderator(app)
    doc = release(app, moderator, version="1.0", formats=["coco", "webdataset"])
    assert doc["status"] == "ready" and doc["counts"]["images"] == 2
    for item in doc["files"]:
        answer = app.get(local_url(item["url"]), status=302)
        signed = answer.headers["Location"]
        assert signed.startswith(s3_endpoint) and "Signature" in signed
        status, body = fetch(signed)
        assert status == 200 and hashlib.sha256(body).hexdigest() == item["sha256"]
    coco = next(item for item in doc["files"] if item["name"] == "coco-r1.zip")
    signed = app.get(local_url(coco["url"]), status=302).headers["Location"]
    status, part = fetch(signed, {"Range": "bytes=100-"})
    assert status == 206 and hashlib.sha256(fetch(signed)[1][:100] + part).hexdigest() == coco["sha256"]

    app.post_json(f"/api/v1/images/{data['images']['coffee']['id']}/status", {"status": "removed"},
                  headers=auth(moderator))
    run_jobs(app)
    revised = app.get("/api/v1/releases/1.0").json
    assert revised["revision"] == 2 and revised["status"] == "ready" and revised["counts"]["images"] == 1
    assert app.get(local_url(coco["url"]), status=410).json["error"]["code"] == "withdrawn"


def test_behind_nginx_downloads_are_an_accel_redirect_to_the_stored_file(app_factory: Any) -> None:
    app = app_factory(plugins=("datasets",), **{"imagemonkey.moderation": "post",
                                               "datasets.accel_redirect": "/_blobs/"})
    doc = release(app, new_moderator(app), version="1.0", formats=["yolo"])
    item = next(item for item in doc["files"] if item["name"] == "yolo-r1.zip")
    answer = app.get(local_url(item["url"]))
    key = item["sha256"]
    assert answer.headers["X-Accel-Redirect"] == f"/_blobs/{key[:2]}/{key[2:4]}/{key}" and answer.body == b""
    assert answer.headers["ETag"] == f'"{key}"'
