"""Parallel 40-megapixel uploads share one process-wide budget of decoded pixels (issue 14, item 2)."""
from __future__ import annotations

import http.client
import io
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from waitress.server import create_server
from webtest import TestApp

from imagemonkey.images.budget import PixelBudget
from imagemonkey.testing import new_client

BUDGET = 48_000_000


def zero_png(width: int, height: int) -> bytes:
    """A PNG of ``width`` × ``height`` black RGB pixels: ~100 KB that decode to ~120 MB."""
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, "PNG", compress_level=9)
    return out.getvalue()


@pytest.fixture(scope="module")
def bombs() -> list[bytes]:
    return [zero_png(7000 + i, 5670) for i in range(8)]  # 39.7 to 39.9 megapixels, all different


@pytest.fixture
def served(app_factory: Callable[..., TestApp]) -> Iterator[tuple[TestApp, int]]:
    testapp = app_factory(**{"imagemonkey.decode_pixel_budget": str(BUDGET),
                             "imagemonkey.decode_wait_seconds": "0.2"})
    server = create_server(testapp.app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield testapp, server.effective_port
    server.close()
    thread.join(timeout=5)


def post_image(port: int, token: str, data: bytes) -> tuple[int, dict[str, str], dict]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"z.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/api/v1/images", body, {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                      "Authorization": f"Bearer {token}"})
    answer = connection.getresponse()
    result = answer.status, dict(answer.getheaders()), json.loads(answer.read())
    connection.close()
    return result


def test_eight_parallel_40_megapixel_uploads_stay_within_the_budget(served: tuple[TestApp, int],
                                                                     bombs: list[bytes]) -> None:
    testapp, port = served
    token = new_client(testapp)
    start = threading.Barrier(8)

    def upload(data: bytes) -> tuple[int, dict[str, str], dict]:
        start.wait()
        return post_image(port, token, data)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(upload, bombs))
    budget: PixelBudget = testapp.app.registry["pixel_budget"]
    assert budget.peak <= BUDGET and budget.reserved == 0
    statuses = sorted(status for status, _, _ in results)
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 503}, statuses
    for status, headers, body in results:
        if status == 503:
            assert body["error"]["code"] == "busy" and int(headers["Retry-After"]) >= 1


def test_a_decode_waits_for_the_budget_then_proceeds() -> None:
    budget = PixelBudget(10, wait_seconds=5)
    order: list[str] = []
    with budget.reserve(8):
        def second() -> None:
            with budget.reserve(8):
                order.append("second")

        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(timeout=0.3)
        assert waiter.is_alive() and order == []
        order.append("first done")
    waiter.join(timeout=5)
    assert order == ["first done", "second"] and budget.reserved == 0 and budget.peak == 8


def test_an_image_larger_than_the_budget_takes_all_of_it() -> None:
    budget = PixelBudget(10, wait_seconds=0.05)
    with budget.reserve(50):
        assert budget.reserved == 10
        with pytest.raises(Exception) as refused, budget.reserve(1):
            pass
    assert refused.value.status == 503
