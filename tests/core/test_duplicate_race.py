"""Thirty parallel uploads of one picture (differing only in a JPEG comment) make one image row (issue 14, item 4).

The uploads go through a real WSGI server (waitress, 8 threads) in this process, on SQLite or PostgreSQL,
so they race in separate transactions as they do in production.
"""
from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from support import count_rows, jpeg
from waitress.server import create_server
from webtest import TestApp

from imagemonkey.models import Image
from imagemonkey.testing import new_client


def with_comment(data: bytes, text: str) -> bytes:
    """``data`` (a JPEG) with a COM segment after SOI: other bytes, same stored original."""
    payload = text.encode()
    return data[:2] + b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload + data[2:]


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def served(app_factory: Callable[..., TestApp]) -> Iterator[tuple[TestApp, int]]:
    testapp = app_factory()
    server = create_server(testapp.app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield testapp, server.effective_port
    server.close()
    thread.join(timeout=5)


def test_parallel_uploads_of_one_picture_make_one_row(served: tuple[TestApp, int]) -> None:
    testapp, port = served
    tokens = [new_client(testapp) for _ in range(30)]
    picture = jpeg(7, width=640, height=480)
    start = threading.Barrier(30)

    def upload(index: int) -> tuple[int, dict]:
        body, content_type = multipart(with_comment(picture, f"copy {index}"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        connection.request("POST", "/api/v1/images", body, {"Content-Type": content_type,
                                                          "Authorization": f"Bearer {tokens[index]}"})
        answer = connection.getresponse()
        result = answer.status, json.loads(answer.read())
        connection.close()
        return result

    with ThreadPoolExecutor(30) as pool:
        results = list(pool.map(upload, range(30)))
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 29 + [201], [body for status, body in results if status >= 300][:3]
    assert count_rows(testapp, Image) == 1
    ids = {body["image"]["id"] for _, body in results}
    assert len(ids) == 1
    assert sum(1 for _, body in results if body.get("duplicate")) == 29


def test_parallel_labels_of_one_name_make_one_image_label(served: tuple[TestApp, int]) -> None:
    testapp, port = served
    tokens = [new_client(testapp) for _ in range(20)]
    image_id = testapp.post("/api/v1/images", upload_files=[("image", "a.jpg", jpeg(8))],
                            headers={"Authorization": f"Bearer {tokens[0]}"}, status=201).json["image"]["id"]
    start = threading.Barrier(20)

    def label(index: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        connection.request("POST", f"/api/v1/images/{image_id}/labels", json.dumps({"labels": ["dog", "cat"]}),
                           {"Content-Type": "application/json", "Authorization": f"Bearer {tokens[index]}"})
        answer = connection.getresponse()
        answer.read()
        connection.close()
        return answer.status

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(label, range(20)))
    assert statuses == [201] * 20
    labels = [il["label"] for il in testapp.get(f"/api/v1/images/{image_id}").json["labels"]]
    assert sorted(labels) == ["cat", "dog"]
