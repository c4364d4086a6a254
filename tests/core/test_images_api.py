"""Images over HTTP: donating, refusing, duplicates, visibility, serving, browsing, storage, CLI, restarts."""
from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from support import (
    app_db_url,
    blobs_exist,
    count_rows,
    donate,
    factory,
    image_keys,
    jpeg,
    png,
    reencoded_smaller,
    stored_blob_files,
)
from webtest import TestApp

from imagemonkey.cli import main
from imagemonkey.models import Image as ImageRow
from imagemonkey.models import ImageLabel
from imagemonkey.testing import auth, new_client, new_moderator

FORBIDDEN_PNG_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def served(app: TestApp, image: dict[str, Any], size: str, token: str | None = None) -> bytes:
    return app.get(f"/api/v1/images/{image['id']}/file", {"size": size},
                   headers=auth(token) if token else {}).body


def assert_nothing_stored(app: TestApp) -> None:
    assert count_rows(app, ImageRow) == 0
    assert stored_blob_files(app) == []


# -- accepted formats and normalisation ------------------------------------------------------------------------------

FORMATS = {
    "jpeg": (lambda: jpeg(1, 80, 60), "a.jpg", "jpeg", (80, 60)),
    "png": (lambda: png(2, 80, 60), "a.png", "png", (80, 60)),
    "webp": (lambda: factory.webp_bytes(80, 60, seed=3), "a.webp", "webp", (80, 60)),
    "gif": (lambda: factory.gif_bytes(frames=2, width=64, height=48), "a.gif", "png", (64, 48)),
}


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_donate_each_format(app: TestApp, token: str, kind: str) -> None:
    make, filename, stored_format, size = FORMATS[kind]
    answer = donate(app, token, make(), filename=filename, labels=("dog",),
                    source_url="https://example.org/a.jpg", page_url="https://example.org/page").json
    image = answer["image"]
    assert (image["width"], image["height"]) == size
    assert image["format"] == stored_format and image["status"] == "public"
    assert [label["label"] for label in image["labels"]] == ["dog"]
    assert image["source_url"] == "https://example.org/a.jpg"
    assert set(image["urls"]) == {"original", "medium", "thumb"}
    original = app.get(image["urls"]["original"])
    assert original.content_type == f"image/{stored_format}"
    with Image.open(io.BytesIO(original.body)) as img:
        assert img.size == size
    assert "source_url" not in app.get(f"/api/v1/images/{image['id']}").json  # only donor and moderators


def test_exif_rotated_jpeg_with_gps_is_upright_and_clean(app: TestApp, token: str) -> None:
    data = jpeg(4, 96, 64, exif_orientation=6, gps=True, metadata=True)
    assert factory.GPS_SECRET in data
    image = donate(app, token, data).json["image"]
    assert (image["width"], image["height"]) == (64, 96)
    for size in ("original", "medium", "thumb"):
        body = served(app, image, size)
        for marker in factory.SECRETS + factory.METADATA_SIGNATURES:
            assert marker not in body, (size, marker)
        with Image.open(io.BytesIO(body)) as img:
            assert not img.getexif()
            assert img.width <= img.height


def test_png_text_chunks_are_removed(app: TestApp, token: str) -> None:
    data = png(5, text_chunks=True)
    assert FORBIDDEN_PNG_CHUNKS & set(factory.png_chunk_types(data))
    image = donate(app, token, data, filename="a.png").json["image"]
    for size in ("original", "medium", "thumb"):
        body = served(app, image, size)
        for marker in factory.SECRETS:
            assert marker not in body
        if body.startswith(b"\x89PNG"):
            assert not FORBIDDEN_PNG_CHUNKS & set(factory.png_chunk_types(body))


# -- refusals --------------------------------------------------------------------------------------------------------

REFUSALS = {
    "truncated jpeg": (lambda: factory.truncated_jpeg(160, 120), "a.jpg", "corrupt_image"),
    "zero bytes": (lambda: b"", "a.jpg", "not_an_image"),
    "text named .jpg": (lambda: b"I am a text file, honest.\n" * 20, "photo.jpg", "not_an_image"),
    "bomb": (lambda: factory.bomb_png(12000, 12000), "bomb.png", "too_many_pixels"),
    "svg": (lambda: factory.SVG_BYTES, "a.svg", "unsupported_format"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_bad_files_are_refused_and_nothing_is_stored(app: TestApp, token: str, case: str) -> None:
    make, filename, code = REFUSALS[case]
    answer = donate(app, token, make(), filename=filename, labels=("dog",), status=422)
    assert answer.json["error"]["code"] == code
    assert_nothing_stored(app)
    assert count_rows(app, ImageLabel) == 0


def test_oversize_upload_is_413(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(**{"imagemonkey.max_upload_bytes": "3000"})
    token = new_client(app)
    data = jpeg(6, 200, 150)
    assert len(data) > 3000
    answer = donate(app, token, data, status=413)
    assert answer.json["error"]["code"] == "too_large"
    assert answer.json["error"]["max_upload_bytes"] == 3000
    huge = donate(app, token, data + b"\x00" * 200_000, status=413)  # refused before the body is read
    assert huge.json["error"]["code"] == "too_large"
    assert_nothing_stored(app)


def test_request_shape_errors(app: TestApp, token: str) -> None:
    missing = app.post("/api/v1/images", params=[("label", "dog")], upload_files=[("other", "a.jpg", jpeg(7))],
                       headers=auth(token), status=422)
    assert missing.json["error"]["code"] == "missing_image" and missing.json["error"]["field"] == "image"
    as_field = app.post("/api/v1/images", params={"image": "not a file"}, content_type="multipart/form-data",
                        headers=auth(token), status=422)
    assert as_field.json["error"]["code"] == "missing_image"
    not_multipart = app.post_json("/api/v1/images", {"image": "aGVsbG8="}, headers=auth(token), status=415)
    assert not_multipart.json["error"]["code"] == "unsupported_media_type"
    for url in ("ftp://example.org/a.jpg", "javascript:alert(1)", "https://" + "a" * 3000):
        bad = donate(app, token, jpeg(7), source_url=url, status=422)
        assert bad.json["error"]["field"] == "source_url"
    bad_page = donate(app, token, jpeg(7), page_url="not a url", status=422)
    assert bad_page.json["error"]["field"] == "page_url"
    too_many = donate(app, token, jpeg(7), labels=tuple(f"l{i}" for i in range(60)), status=422)
    assert too_many.json["error"]["field"] == "labels"
    assert_nothing_stored(app)


# -- duplicates and removal ------------------------------------------------------------------------------------------


def test_exact_duplicate_adds_labels(app: TestApp, token: str) -> None:
    data = jpeg(8)
    first = donate(app, token, data, labels=("dog",)).json["image"]
    other = new_client(app)
    again = donate(app, other, data, labels=("cat", "dog"), status=200).json
    assert again["duplicate"] is True and again["image"]["id"] == first["id"]
    assert [label["label"] for label in again["image"]["labels"]] == ["dog", "cat"]
    assert count_rows(app, ImageRow) == 1


def test_duplicate_of_the_stored_original_is_recognised(app: TestApp, token: str) -> None:
    """Uploading the served (metadata-free) original again is the same image."""
    first = donate(app, token, jpeg(9, metadata=True)).json["image"]
    again = donate(app, token, served(app, first, "original"), status=200).json
    assert again["duplicate"] is True and again["image"]["id"] == first["id"]


def test_near_duplicate_is_a_new_image_that_points_to_the_first(app: TestApp, token: str) -> None:
    data = jpeg(10, 160, 120)
    first = donate(app, token, data).json["image"]
    near = donate(app, token, reencoded_smaller(data)).json["image"]
    assert near["id"] != first["id"]
    assert near["near_duplicates"] == [first["id"]]
    assert app.get(f"/api/v1/images/{first['id']}").json["near_duplicates"] == [near["id"]]
    unrelated = donate(app, token, jpeg(11, 160, 120)).json["image"]
    assert unrelated["near_duplicates"] == []


def test_near_duplicates_list_only_images_the_caller_may_see(app_factory: Callable[..., TestApp]) -> None:
    """Someone else's pending picture is not named in a donation's answer (issue 21, item 14)."""
    app = app_factory(**{"imagemonkey.moderation": "pre"})
    first_donor, second_donor, moderator = new_client(app), new_client(app), new_moderator(app)
    data = jpeg(10, 160, 120)
    first = donate(app, first_donor, data).json["image"]
    near = donate(app, second_donor, reencoded_smaller(data)).json["image"]
    assert first["status"] == near["status"] == "pending"
    assert near["near_duplicates"] == []
    assert app.get(f"/api/v1/images/{first['id']}", headers=auth(first_donor)).json["near_duplicates"] == []
    assert app.get(f"/api/v1/images/{near['id']}", headers=auth(moderator)).json["near_duplicates"] == [first["id"]]
    app.post_json(f"/api/v1/images/{first['id']}/status", {"status": "public"}, headers=auth(moderator))
    assert app.get(f"/api/v1/images/{near['id']}", headers=auth(second_donor)).json["near_duplicates"] == [
        first["id"]]


def test_removed_image_cannot_come_back(app: TestApp, token: str, moderator: str) -> None:
    data = jpeg(12, 160, 120)
    image = donate(app, token, data).json["image"]
    keys = image_keys(app, image["id"])
    assert all(blobs_exist(app, keys))
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "removed", "reason": "not ok"},
                  headers=auth(moderator))
    assert not any(blobs_exist(app, keys))  # deleted once the status change committed
    for attempt in (data, reencoded_smaller(data)):
        blocked = donate(app, new_client(app), attempt, status=403)
        assert blocked.json["error"]["code"] == "blocked"
    assert count_rows(app, ImageRow) == 1
    back = app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "public"}, headers=auth(moderator),
                         status=409)
    assert back.json["error"]["code"] == "removed"
    app.get(f"/api/v1/images/{image['id']}/file", headers=auth(moderator), status=404)


def test_bad_status_change(app: TestApp, token: str, moderator: str) -> None:
    image = donate(app, token, jpeg(13)).json["image"]["id"]
    for body in ({"status": "pending"}, {"status": "gone"}, {}, {"status": "hidden", "reason": 5},
                 {"status": "hidden", "reason": "x" * 501}):
        app.post_json(f"/api/v1/images/{image}/status", body, headers=auth(moderator), status=422)
    app.post_json("/api/v1/images/999999/status", {"status": "hidden"}, headers=auth(moderator), status=404)
    assert app.get(f"/api/v1/images/{image}").json["status"] == "public"


def test_concurrent_duplicate_donations_leave_one_row(app: TestApp) -> None:
    data = jpeg(14, 160, 120)
    tokens = [new_client(app) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[int] = []

    def send(token: str) -> None:
        barrier.wait()
        results.append(donate(app, token, data, labels=("dog",), status="*").status_int)

    threads = [threading.Thread(target=send, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [200, 201]
    assert count_rows(app, ImageRow) == 1
    assert count_rows(app, ImageLabel) == 1


# -- visibility ------------------------------------------------------------------------------------------------------


@pytest.fixture
def premod() -> dict[str, Any]:
    return {"imagemonkey.moderation": "pre"}


def test_visibility_rules(app_factory: Callable[..., TestApp], premod: dict[str, Any]) -> None:
    app = app_factory(**premod)
    donor, other, moderator = new_client(app), new_client(app), new_moderator(app)
    image = donate(app, donor, jpeg(15), source_url="https://example.org/x.jpg").json["image"]
    assert image["status"] == "pending"
    path = f"/api/v1/images/{image['id']}"

    def check(visible: dict[str | None, bool], listing: dict[str, str] | None = None) -> None:
        for who, can in visible.items():
            headers = auth(who) if who else {}
            app.get(path, headers=headers, status=200 if can else 404)
            app.get(path + "/file", headers=headers, status=200 if can else 404)
            listed = [i["id"] for i in app.get("/api/v1/images", listing or {}, headers=headers).json["images"]]
            assert (image["id"] in listed) is can

    check({donor: True, moderator: True, other: False, None: False})
    assert app.get(path, headers=auth(donor)).json["source_url"] == "https://example.org/x.jpg"
    for status in ("hidden", "quarantined"):
        app.post_json(path + "/status", {"status": status}, headers=auth(moderator))
        check({donor: False, moderator: True, other: False, None: False}, {"status": status})
    # quarantined images are browsed only on a moderator's explicit ?status=quarantined
    assert image["id"] not in [i["id"] for i in app.get("/api/v1/images", headers=auth(moderator)).json["images"]]
    app.post_json(path + "/status", {"status": "public"}, headers=auth(moderator))
    check({donor: True, moderator: True, other: True, None: True})
    assert "source_url" not in app.get(path, headers=auth(other)).json
    assert app.get(path, headers=auth(moderator)).json["source_url"] == "https://example.org/x.jpg"
    # labels on images one cannot see are refused like the image
    hidden = donate(app, donor, jpeg(16)).json["image"]["id"]
    app.post_json(f"/api/v1/images/{hidden}/labels", {"labels": ["dog"]}, headers=auth(other), status=404)


# -- serving ---------------------------------------------------------------------------------------------------------


def test_file_etag_range_and_cache_control(app_factory: Callable[..., TestApp], premod: dict[str, Any]) -> None:
    app = app_factory(**premod)
    donor, moderator = new_client(app), new_moderator(app)
    image = donate(app, donor, jpeg(17, 160, 120)).json["image"]
    url = f"/api/v1/images/{image['id']}/file"
    private = app.get(url, headers=auth(donor))
    assert private.headers["Cache-Control"].startswith("private")
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "public"}, headers=auth(moderator))
    full = app.get(url)
    assert full.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    etag = full.headers["ETag"]
    assert etag.startswith('"') and etag.strip('"') in image_keys(app, image["id"])
    app.get(url, headers={"If-None-Match": etag}, status=304)
    app.get(url, headers={"If-None-Match": '"other"'}, status=200)
    part = app.get(url, headers={"Range": "bytes=0-9"}, status=206)
    assert part.body == full.body[:10]
    assert part.headers["Content-Range"] == f"bytes 0-9/{len(full.body)}"
    tail = app.get(url, headers={"Range": "bytes=-5"}, status=206)
    assert tail.body == full.body[-5:]
    thumb = app.get(url, {"size": "thumb"})
    assert thumb.headers["ETag"] != etag or len(full.body) == len(thumb.body)
    bad = app.get(url, {"size": "huge"}, status=422)
    assert bad.json["error"]["field"] == "size"


# -- browsing --------------------------------------------------------------------------------------------------------


def pages(app: TestApp, params: dict[str, str], token: str | None = None) -> list[list[str]]:
    found: list[list[str]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = app.get("/api/v1/images", query, headers=auth(token) if token else {}).json
        found.append([image["id"] for image in page["images"]])
        cursor = page["next_cursor"]
        if cursor is None:
            return found
        assert len(found) < 20


def test_browse_keyset_pagination(app: TestApp, token: str, moderator: str) -> None:
    ids = [donate(app, token, jpeg(20 + n), labels=("dog",) if n % 2 == 0 else ("cat",)).json["image"]["id"]
           for n in range(7)]
    newest_first = list(reversed(ids))
    assert pages(app, {"limit": "3"}) == [newest_first[:3], newest_first[3:6], newest_first[6:]]
    dogs = [i for i in newest_first if ids.index(i) % 2 == 0]
    assert pages(app, {"limit": "3", "label": "puppy"}) == [dogs[:3], dogs[3:]]
    app.post_json(f"/api/v1/images/{ids[0]}/status", {"status": "hidden"}, headers=auth(moderator))
    assert sum(pages(app, {"limit": "3"}), []) == newest_first[:6]
    assert pages(app, {"status": "hidden"}, moderator) == [[ids[0]]]
    assert pages(app, {"status": "hidden"}) == [[]]
    assert pages(app, {"limit": "7"}, moderator) == [newest_first]
    for params in ({"limit": "0"}, {"limit": "201"}, {"cursor": "bm9wZQ"}, {"cursor": "@@"}):
        assert app.get("/api/v1/images", params, status=400).json["error"]["code"] in ("invalid_limit",
                                                                                      "invalid_cursor")


def test_browse_page_renders(app: TestApp, token: str) -> None:
    image = donate(app, token, jpeg(30), labels=("dog",)).json["image"]
    page = app.get("/browse")
    assert page.content_type == "text/html" and f"/images/{image['id']}" in page.text
    assert "dog" in app.get(f"/images/{image['id']}").text


# -- S3 ----------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from s3server import start_moto_server, stop_moto_server

    url, process = start_moto_server()
    yield url
    stop_moto_server(process)


def test_s3_backend_end_to_end(app_factory: Callable[..., TestApp], s3_endpoint: str, moderator: str) -> None:
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    client.create_bucket(Bucket="monkey-bucket")
    app = app_factory(**{"imagemonkey.storage": "s3://monkey-bucket/some/prefix",
                         "imagemonkey.s3.endpoint_url": s3_endpoint, "imagemonkey.s3.region": "us-east-1",
                         "imagemonkey.s3.access_key_id": "testing", "imagemonkey.s3.secret_access_key": "testing"})
    token, mod = new_client(app), new_moderator(app)
    image = donate(app, token, jpeg(31, 160, 120, gps=True)).json["image"]

    def objects() -> dict[str, bytes]:
        listed = client.list_objects_v2(Bucket="monkey-bucket").get("Contents", [])
        return {o["Key"]: client.get_object(Bucket="monkey-bucket", Key=o["Key"])["Body"].read() for o in listed}

    stored = objects()
    keys = image_keys(app, image["id"])
    assert len(stored) == len(keys) and all(key.startswith("some/prefix/") for key in stored)
    original = served(app, image, "original")
    assert original in stored.values() and factory.GPS_SECRET not in original
    assert stored_blob_files(app) == []  # nothing on the local disk
    duplicate = donate(app, token, jpeg(31, 160, 120, gps=True), status=200).json
    assert duplicate["duplicate"] is True
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "removed"}, headers=auth(mod))
    assert objects() == {}


# -- command line: import, export, gc --------------------------------------------------------------------------------


def test_import_export_round_trip_and_gc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, data_dir, out = tmp_path / "incoming", tmp_path / "site", tmp_path / "export"
    source.mkdir()
    first = jpeg(40)
    (source / "a.jpg").write_bytes(first)
    (source / "b.png").write_bytes(png(41))
    (source / "c-copy.jpg").write_bytes(first)
    (source / "d-bad.jpg").write_bytes(b"this is not a picture")
    (source / "notes.txt").write_text("ignored: not an image suffix")
    assert main(["import", str(source), "--label", "dog", "--data-dir", str(data_dir)]) == 0
    captured = capsys.readouterr()
    assert "imported 2, duplicates 1, rejected 1" in captured.out
    assert "d-bad.jpg" in captured.err

    assert main(["export", "--format", "json", str(out), "--data-dir", str(data_dir)]) == 0
    assert "images: 2" in capsys.readouterr().out
    rows = [json.loads(line) for line in (out / "images.jsonl").read_text().splitlines()]
    assert len(rows) == 2 and [row["labels"] for row in rows] == [["dog"], ["dog"]]
    assert [row["format"] for row in rows] == ["jpeg", "png"]
    for row in rows:
        with Image.open(out / row["file_name"]) as img:
            assert img.size == (row["width"], row["height"])

    from imagemonkey.storage import FileBlobStore

    store = FileBlobStore(data_dir / "images")
    referenced = set(store.keys())
    orphan = store.put(b"an orphan left by a rolled-back upload", "application/octet-stream")
    assert main(["gc", "--grace", "0", "--data-dir", str(data_dir)]) == 0
    assert "removed 1 unreferenced blobs" in capsys.readouterr().out
    assert not store.exists(orphan)
    assert set(store.keys()) == referenced


# -- restarts --------------------------------------------------------------------------------------------------------


def test_restart_keeps_everything(app_factory: Callable[..., TestApp]) -> None:
    first = app_factory()
    token = new_client(first)
    image = donate(first, token, jpeg(50), labels=("dog",)).json["image"]
    original = served(first, image, "original")
    first.app.registry["db_engine"].dispose()
    settings = first.app.registry.settings
    second = app_factory(**{"sqlalchemy.url": app_db_url(first),
                            "imagemonkey.data_dir": settings["imagemonkey.data_dir"]})
    assert second.get(f"/api/v1/images/{image['id']}").json == first.get(f"/api/v1/images/{image['id']}").json
    assert served(second, image, "original") == original
    assert second.get("/api/v1/me", headers=auth(token)).json["kind"] == "client"
    donate(second, token, jpeg(50), status=200)
    again = donate(second, token, jpeg(51)).json["image"]
    assert int(again["id"]) > int(image["id"])
