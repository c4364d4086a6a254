"""Blob stores: the file-system store, the S3 store against a real moto server, and settings."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import imagefactory as factory
import pytest
from s3server import start_moto_server, stop_moto_server

from imagemonkey.storage import BlobStore, FileBlobStore, blob_store_from_settings

BAD_KEYS = ["../../etc/passwd", "a" * 63, "A" * 64, "g" * 64, "/" + "a" * 63, "a" * 64 + "/x", "", "..", "a" * 65]
JPEG = factory.jpeg_bytes(32, 24)
PNG = factory.png_bytes(32, 24)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- shared behaviour, run against both stores -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    url, process = start_moto_server()
    try:
        yield url
    finally:
        stop_moto_server(process)


def make_s3_store(url: str, bucket: str, prefix: str = "images") -> BlobStore:
    import boto3

    options = {
        "endpoint_url": url,
        "region_name": "us-east-1",
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
    }
    boto3.client("s3", **options).create_bucket(Bucket=bucket)
    settings = {
        "imagemonkey.storage": f"s3://{bucket}/{prefix}",
        "imagemonkey.s3.endpoint_url": url,
        "imagemonkey.s3.region": "us-east-1",
        "imagemonkey.s3.access_key_id": "test",
        "imagemonkey.s3.secret_access_key": "test",
    }
    return blob_store_from_settings(settings, Path("/unused"))


@pytest.fixture(params=["file", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "file":
        return FileBlobStore(tmp_path / "blobs")
    return make_s3_store(request.getfixturevalue("moto_url"), f"test-{uuid.uuid4().hex[:16]}")


def test_put_get_round_trip(store: BlobStore) -> None:
    assert isinstance(store, BlobStore)
    key = store.put(JPEG, "image/jpeg")
    assert key == sha(JPEG)
    assert store.get(key) == JPEG
    assert store.exists(key)
    assert store.content_type(key) == "image/jpeg"
    assert store.put(JPEG, "image/jpeg") == key  # idempotent
    assert list(store.keys()) == [key]


def test_missing_keys(store: BlobStore) -> None:
    missing = sha(b"never stored")
    assert not store.exists(missing)
    with pytest.raises(KeyError):
        store.get(missing)
    with pytest.raises(KeyError):
        store.content_type(missing)
    store.delete(missing)  # no error


def test_delete_and_keys(store: BlobStore) -> None:
    blobs = [JPEG, PNG] + [bytes([i]) * 10 for i in range(20)]
    keys = {store.put(data, "application/octet-stream") for data in blobs}
    assert set(store.keys()) == keys
    store.delete(sha(PNG))
    assert not store.exists(sha(PNG))
    assert set(store.keys()) == keys - {sha(PNG)}
    assert store.get(sha(JPEG)) == JPEG


def test_get_file_streams_a_blob_into_a_file(store: BlobStore, tmp_path: Path) -> None:
    data = os.urandom(3 << 20) + JPEG  # several 1 MiB chunks
    source = tmp_path / "source.bin"
    source.write_bytes(data)
    key = store.put_file(source, "application/octet-stream")  # type: ignore[attr-defined]
    target = tmp_path / "target.bin"
    store.get_file(key, target)  # type: ignore[attr-defined]
    assert target.read_bytes() == data
    with pytest.raises(KeyError):
        store.get_file(sha(b"never stored"), tmp_path / "missing.bin")  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_invalid_keys_are_refused(store: BlobStore, key: str) -> None:
    for operation in (store.get, store.exists, store.delete, store.content_type, store.local_path):
        with pytest.raises(ValueError):
            operation(key)


def test_concurrent_puts(store: BlobStore) -> None:
    blobs = [JPEG] * 16 + [PNG] * 16 + [bytes([i]) * 1000 for i in range(16)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        keys = list(pool.map(lambda data: store.put(data, "image/x"), blobs))
    assert keys == [sha(data) for data in blobs]
    assert set(store.keys()) == set(keys)
    assert all(store.get(sha(data)) == data for data in blobs)


# -- file store ------------------------------------------------------------------------------------------------------


def test_file_layout_and_local_path(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    key = store.put(PNG, "image/png")
    path = tmp_path / key[:2] / key[2:4] / key
    assert store.local_path(key) == path and path.read_bytes() == PNG
    assert store.content_type(key) == "image/png"
    assert store.content_type(store.put(b"plain bytes", "text/plain")) == "application/octet-stream"
    os.link(path, tmp_path / "linked")
    assert (tmp_path / "linked").read_bytes() == PNG
    with pytest.raises(KeyError):
        store.local_path(sha(b"missing"))


def test_file_put_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    barrier = threading.Barrier(8)

    def put_same() -> str:
        barrier.wait()
        return store.put(JPEG, "image/jpeg")

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert len({future.result() for future in [pool.submit(put_same) for _ in range(8)]}) == 1
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert files == [store.local_path(sha(JPEG))]


def test_file_put_is_atomic_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FileBlobStore(tmp_path)

    def broken_replace(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        store.put(JPEG, "image/jpeg")
    assert not store.exists(sha(JPEG))
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_file_keys_ignore_strays_and_missing_root(tmp_path: Path) -> None:
    assert list(FileBlobStore(tmp_path / "nothing").keys()) == []
    store = FileBlobStore(tmp_path)
    key = store.put(JPEG, "image/jpeg")
    (tmp_path / key[:2] / key[2:4] / ".tmp-abandoned").write_bytes(b"x")
    (tmp_path / key[:2] / key[2:4] / ("0" * 64)).write_bytes(b"misplaced")
    (tmp_path / "zz").mkdir()
    keys = store.keys()
    assert not isinstance(keys, list)
    assert list(keys) == [key]


# -- S3 store --------------------------------------------------------------------------------------------------------


def test_s3_object_layout_and_content_type(moto_url: str) -> None:
    import boto3

    store = make_s3_store(moto_url, "layout-bucket", prefix="/some/prefix/")
    key = store.put(PNG, "image/png")
    assert store.local_path(key) is None
    client = boto3.client(
        "s3", endpoint_url=moto_url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    listed = client.list_objects_v2(Bucket="layout-bucket")["Contents"]
    assert [item["Key"] for item in listed] == [f"some/prefix/{key[:2]}/{key}"]
    head = client.head_object(Bucket="layout-bucket", Key=f"some/prefix/{key[:2]}/{key}")
    assert head["ContentType"] == "image/png" == store.content_type(key)
    client.put_object(Bucket="layout-bucket", Key="some/prefix/readme.txt", Body=b"stray")
    client.put_object(Bucket="layout-bucket", Key=f"other/{key[:2]}/{key}", Body=b"outside the prefix")
    assert list(store.keys()) == [key]


def test_s3_needs_boto3(monkeypatch: pytest.MonkeyPatch) -> None:
    from imagemonkey.storage.s3 import S3BlobStore

    monkeypatch.setitem(sys.modules, "boto3", None)
    with pytest.raises(ImportError, match=r"imagemonkey\[s3\]"):
        S3BlobStore("bucket")


# -- settings --------------------------------------------------------------------------------------------------------


def test_default_store_is_files_in_data_dir(tmp_path: Path) -> None:
    store = blob_store_from_settings({}, tmp_path)
    assert isinstance(store, FileBlobStore) and store.root == (tmp_path / "images").resolve()
    assert blob_store_from_settings({"imagemonkey.storage": " "}, tmp_path).root == store.root  # type: ignore[attr-defined]


def test_file_url_setting(tmp_path: Path) -> None:
    store = blob_store_from_settings({"imagemonkey.storage": (tmp_path / "my blobs").as_uri()}, Path("/unused"))
    assert isinstance(store, FileBlobStore) and store.root == tmp_path / "my blobs"


def test_s3_url_setting() -> None:
    from imagemonkey.storage.s3 import S3BlobStore

    store = blob_store_from_settings(
        {"imagemonkey.storage": "s3://photos/monkey/images", "imagemonkey.s3.region": "eu-central-1"}, Path("/unused")
    )
    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix) == ("photos", "monkey/images")
    assert store.object_name("a" * 64) == "monkey/images/aa/" + "a" * 64


@pytest.mark.parametrize("url", ["ftp://host/x", "gs://bucket/x", "images/relative", "file://relative/path", "s3:///x"])
def test_bad_storage_setting(url: str) -> None:
    with pytest.raises(ValueError, match=r"imagemonkey\.storage"):
        blob_store_from_settings({"imagemonkey.storage": url}, Path("/unused"))


class ProtocolOnlyStore:
    """A third party's store with only the protocol's required methods (no ``put_file``, ``get_file`` or
    ``signed_url``), in memory: what ``store_file``, ``fetch_file`` and ``signed_blob_url`` fall back to."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, data: bytes, content_type: str) -> str:
        key = sha(data)
        self.blobs[key] = data
        return key

    def get(self, key: str) -> bytes:
        return self.blobs[key]

    def exists(self, key: str) -> bool:
        return key in self.blobs

    def delete(self, key: str) -> None:
        self.blobs.pop(key, None)

    def keys(self) -> Iterator[str]:
        return iter(list(self.blobs))

    def local_path(self, key: str) -> Path | None:
        return None

    def content_type(self, key: str) -> str:
        return "application/octet-stream"


def test_plugin_helpers_fall_back_for_a_store_without_the_optional_methods(tmp_path: Path) -> None:
    from imagemonkey.plugin import fetch_file, signed_blob_url, store_file

    store = ProtocolOnlyStore()
    assert isinstance(store, BlobStore)
    registry = {"blobstore": store}
    source = tmp_path / "index.bin"
    source.write_bytes(JPEG)
    key = store_file(registry, source, "application/octet-stream")
    assert key == sha(JPEG) and store.get(key) == JPEG
    fetch_file(registry, key, tmp_path / "copy.bin")
    assert (tmp_path / "copy.bin").read_bytes() == JPEG
    with pytest.raises(KeyError):
        fetch_file(registry, sha(PNG), tmp_path / "missing.bin")
    assert signed_blob_url(registry, key, seconds=60) is None
