"""The playground's answers to hostile or premature requests (issue 21, items 7, 10, 12 and 15); no model is trained."""
from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image
from playground_support import SETTINGS, donate_all, pictures, predict_file, train
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator

PREDICTIONS = "/api/v1/playground/predictions"


@pytest.fixture
def app(app_factory: Callable[..., TestApp]) -> TestApp:
    return app_factory(plugins=("playground",), **SETTINGS)


def donate(app: TestApp, token: str, data: bytes, labels: list[str]) -> dict:
    return app.post("/api/v1/images", params=[("label", label) for label in labels],
                    upload_files=[("image", "p.jpg", data)], headers=auth(token)).json["image"]


def big_png() -> bytes:
    """The attack's picture: a 6,324 x 6,324 PNG of black, ~120 KB that decode to 120 MB."""
    out = io.BytesIO()
    Image.new("RGB", (6324, 6324)).save(out, "PNG", compress_level=9)
    return out.getvalue()


def test_without_a_model_nothing_is_decoded(app: TestApp) -> None:
    """The model is looked up first: a broken or huge picture gets the 409 at no decoding cost."""
    for data in (b"not an image", big_png()):
        answer = app.post(PREDICTIONS, upload_files=[("image", "x.png", data)], status=409).json
        assert answer["error"]["code"] == "no_model"
    assert app.app.registry["pixel_budget"].peak == 0


@pytest.mark.parametrize("content_type", ["multipart/form-data", 'multipart/form-data; boundary=""',
                                          "multipart/form-data; charset=iso-8859-1; boundary=x"])
def test_a_multipart_body_without_a_boundary_or_in_another_charset_is_400(app: TestApp, content_type: str) -> None:
    body = b'--x\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nabc\r\n--x--\r\n'
    answer = app.post(PREDICTIONS, body, headers={"Content-Type": content_type}, status=400)
    assert answer.json["error"]["code"] == "malformed_multipart"


def test_a_prediction_for_a_removed_image_is_404(app: TestApp) -> None:
    moderator = new_moderator(app)
    image = donate(app, new_client(app), pictures()[0][0], ["cat"])
    app.post_json(f"/api/v1/images/{image['id']}/status", {"status": "removed"}, headers=auth(moderator))
    for token in (moderator, new_client(app)):
        answer = app.post_json(PREDICTIONS, {"image_id": image["id"]}, headers=auth(token), status=404)
        assert answer.json["error"]["code"] == "not_found"


def test_one_label_is_no_model_and_one_training_at_a_time(app: TestApp) -> None:
    moderator = new_moderator(app)
    donor = new_client(app)
    for data, _ in pictures()[:3]:
        donate(app, donor, data, ["cat"])
    refused = app.post("/api/v1/playground/models", headers=auth(moderator), status=409).json["error"]
    assert refused["code"] == "too_few_labels" and refused["labels"] == ["cat"]
    assert app.get("/api/v1/playground/models").json["models"] == []  # nothing queued
    for data, _ in pictures()[3:6]:
        donate(app, donor, data, ["cup"])
    queued = app.post("/api/v1/playground/models", headers=auth(moderator), status=202).json["model"]
    again = app.post("/api/v1/playground/models", headers=auth(moderator), status=409).json["error"]
    assert again["code"] == "training_busy"
    assert [m["id"] for m in app.get("/api/v1/playground/models").json["models"]] == [queued["id"]]


@pytest.mark.training
def test_predictions_decode_within_the_process_wide_pixel_budget(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("playground",), **SETTINGS, **{"imagemonkey.decode_wait_seconds": "0.2"})
    _, images = donate_all(app, count=28)
    assert train(app)["status"] == "active"
    budget = app.app.registry["pixel_budget"]
    with budget.reserve(budget.pixels):  # other decodes hold the whole budget: the prediction waits, then gives up
        answer = app.post(PREDICTIONS, upload_files=[("image", "big.png", big_png())], status=503)
        by_id = app.post_json(PREDICTIONS, {"image_id": images[0]["id"]}, status=503)  # a stored rendition too
    assert answer.json["error"]["code"] == by_id.json["error"]["code"] == "busy"
    assert int(answer.headers["Retry-After"]) >= 1
    budget.peak = 0
    assert predict_file(app, big_png())["predictions"]
    assert budget.peak == 6324 * 6324 and budget.reserved == 0
