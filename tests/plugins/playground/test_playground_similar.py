"""Similar pictures: the usearch index over the playground's embeddings, through HTTP against a real database."""
from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pytest
from imagemonkey_playground.sample import encode, photograph
from PIL import Image as PILImage
from playground_support import SETTINGS
from webtest import TestApp

from imagemonkey.plugin import enqueue_job
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs

PHOTOS = {"cat": "chelsea", "cup": "coffee", "person": "astronaut", "rocket": "rocket", "coin": "coins"}


def variants(picture: PILImage.Image) -> list[PILImage.Image]:
    """The photograph, its mirror image, and three crops (one of them mirrored)."""
    width, height = picture.size
    mirror = picture.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT)
    return [picture, mirror,
            picture.crop((width // 10, height // 10, width - width // 10, height - height // 10)),
            picture.crop((0, 0, width * 4 // 5, height * 4 // 5)),
            mirror.crop((width // 5, height // 5, width, height))]


@lru_cache(maxsize=1)
def pictures() -> list[tuple[bytes, str]]:
    """Five variants of each of five real photographs from scikit-image, as (JPEG, label)."""
    return [(encode(variant.resize((256, round(256 * variant.height / variant.width)))), label)
            for label, name in PHOTOS.items() for variant in variants(photograph(name))]


def donate(app: TestApp) -> list[dict]:
    """Every picture donated with its label (public at once: post-moderation)."""
    donor = new_client(app)
    return [app.post("/api/v1/images", params=[("label", label)], upload_files=[("image", "p.jpg", data)],
                     headers=auth(donor)).json["image"] for data, label in pictures()]


@pytest.fixture
def indexed(app_factory: Callable[..., TestApp]) -> tuple[TestApp, list[dict]]:
    """An app whose pictures are embedded and indexed by the periodic update job."""
    app = app_factory(plugins=("playground",), **SETTINGS)
    images = donate(app)
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    return app, images


def similar(app: TestApp, image_id: str, limit: int = 24, status: int = 200) -> dict:
    """GET the neighbours of an image."""
    return app.get(f"/api/v1/images/{image_id}/similar", params={"limit": str(limit)}, status=status).json


def test_neighbours_are_crops_and_flips_first(indexed: tuple[TestApp, list[dict]]) -> None:
    app, images = indexed
    labels = {image["id"]: label for image, (_, label) in zip(images, pictures(), strict=True)}
    for image in images[::5]:  # each original photograph
        found = similar(app, image["id"])["images"]
        assert image["id"] not in [entry["image"]["id"] for entry in found]
        assert len(found) == len(images) - 1
        distances = [entry["distance"] for entry in found]
        assert distances == sorted(distances)
        assert {labels[entry["image"]["id"]] for entry in found[:4]} == {labels[image["id"]]}, found[:4]


def test_upload_finds_the_photograph(indexed: tuple[TestApp, list[dict]]) -> None:
    app, images = indexed
    cat = photograph("chelsea").crop((50, 20, 400, 280))
    found = app.post("/api/v1/playground/similar", upload_files=[("image", "q.jpg", encode(cat))],
                     params={"limit": "3"}).json["images"]
    assert len(found) == 3 and {entry["image"]["id"] for entry in found} <= {i["id"] for i in images[:5]}


def test_hidden_and_quarantined_pictures_never_appear(indexed: tuple[TestApp, list[dict]]) -> None:
    app, images = indexed
    moderator = new_moderator(app, "hider")
    for image, status in ((images[1], "hidden"), (images[2], "quarantined")):
        app.post_json(f"/api/v1/images/{image['id']}/status", {"status": status, "reason": "test"},
                      headers=auth(moderator))
    found = [entry["image"]["id"] for entry in similar(app, images[0]["id"])["images"]]
    assert images[1]["id"] not in found and images[2]["id"] not in found
    assert len(found) == len(images) - 3
    query = app.get("/api/v1/images", params={"q": f"similar:{images[0]['id']}"}).json["images"]
    assert images[1]["id"] not in [image["id"] for image in query]
    similar(app, images[1]["id"], status=404)  # the public cannot see the hidden picture itself either


def test_index_survives_a_restart(indexed: tuple[TestApp, list[dict]], app_factory: Callable[..., TestApp]) -> None:
    app, images = indexed
    before = similar(app, images[0]["id"])
    settings = app.app.registry.settings
    again = app_factory(plugins=("playground",), **SETTINGS, **{
        "sqlalchemy.url": settings["sqlalchemy.url"], "imagemonkey.data_dir": settings["imagemonkey.data_dir"]})
    assert similar(again, images[0]["id"]) == before


def test_errors(indexed: tuple[TestApp, list[dict]]) -> None:
    app, images = indexed
    similar(app, "999999", status=404)
    similar(app, "abc", status=404)
    assert similar(app, images[0]["id"], limit=0, status=400)["error"]["code"] == "invalid_limit"
    late = app.post("/api/v1/images", params=[("label", "cat")], headers=auth(new_client(app)),
                    upload_files=[("image", "l.jpg", encode(photograph("chelsea").rotate(90)))]).json["image"]
    assert similar(app, late["id"], status=409)["error"]["code"] == "not_embedded"
    query = app.get("/api/v1/images", params={"q": f"similar:{late['id']}"}, status=409).json
    assert query["error"]["code"] == "not_embedded"
    bad = app.get("/api/v1/images", params={"q": "similar:cat"}, status=400).json
    assert bad["error"]["code"] == "invalid_similar"
    upload = app.post("/api/v1/playground/similar", upload_files=[("picture", "p.jpg", b"x")], status=422).json
    assert upload["error"]["code"] == "missing_image"
    assert app.post_json("/api/v1/playground/similar", {"image_id": 1}, status=415).json["error"]["code"] == \
        "unsupported_media_type"


def embedding_matrix(app: TestApp) -> tuple[list[int], np.ndarray]:
    """Every stored embedding (ids, rows), straight from the table, for a brute-force search."""
    from imagemonkey_playground.models import Embedding

    session = app.app.registry["dbsession_factory"]()
    try:
        rows = session.query(Embedding.image_id, Embedding.vector).order_by(Embedding.image_id).all()
    finally:
        session.close()
    return [i for i, _ in rows], np.stack([np.frombuffer(v, dtype=np.float16).astype(np.float32) for _, v in rows])


@pytest.mark.parametrize("segment_size", ["250000", "4"])
def test_similar_prefix_equals_brute_force(app_factory: Callable[..., TestApp], segment_size: str) -> None:
    """Also with the index in segments of 4 pictures (7 of them), searched together."""
    app = app_factory(plugins=("playground",), **SETTINGS, **{"playground.similar_k": "6",
                                                              "playground.similar_segment_size": segment_size})
    images = donate(app)
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    ids, rows = embedding_matrix(app)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    label_of = {int(image["id"]): label for image, (_, label) in zip(images, pictures(), strict=True)}

    def nearest(image_id: int) -> set[int]:
        order = np.argsort(1 - unit @ unit[ids.index(image_id)], kind="stable")
        return set([ids[i] for i in order if ids[i] != image_id][:6])

    everything = set(label_of)
    for source in (int(images[0]["id"]), int(images[7]["id"]), int(images[13]["id"])):
        near = nearest(source)
        cats = {i for i, label in label_of.items() if label == "cat"}
        expected = {f"similar:{source}": near, f"similar:{source} & cat": near & cats,
                    f"similar:{source} & ~cat": near - cats, f"similar:{source} | cup": near | {
                        i for i, label in label_of.items() if label == "cup"},
                    f"~similar:{source}": everything - near}
        for query, want in expected.items():
            got = {int(image["id"]) for image in app.get("/api/v1/images", params={"q": query, "limit": "100"})
                   .json["images"]}
            assert got == want, query


def test_image_page_has_the_strip(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("playground",), **SETTINGS)
    image = donate(app)[0]
    page = app.get(f"/images/{image['id']}").text
    assert f'data-similar-for="{image["id"]}"' in page and "More like this" in page
    # not embedded yet: a sentence says so and the browser asks nothing (a 409 would be a console error)
    assert "Not compared with other pictures yet" in page and "data-api=" not in page and "similar.js" not in page
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    page = app.get(f"/images/{image['id']}").text
    assert f'data-api="/api/v1/images/{image["id"]}/similar"' in page and "Not compared" not in page
    assert app.get("/playground/static/similar.js").status_int == 200


def test_extension_action_and_openapi(indexed: tuple[TestApp, list[dict]]) -> None:
    app, images = indexed
    action = {a["id"]: a for a in app.get("/api/v1/extension").json["actions"]}["playground-similar"]
    assert (action["kind"], action["method"], action["contexts"]) == ("similar", "POST", ["image"])
    found = app.post(action["api"] + "?limit=24", upload_files=[("image", "q.jpg", pictures()[10][0])],
                     headers=auth(new_client(app))).json["images"]  # as the extension does
    assert found[0]["image"]["id"] == images[10]["id"] and found[0]["distance"] < 0.01
    paths = app.get("/api/v1/openapi.json").json["paths"]
    assert "multipart/form-data" in paths["/api/v1/playground/similar"]["post"]["requestBody"]["content"]
    assert paths["/api/v1/images/{id}/similar"]["get"]["parameters"]


def test_index_follows_a_new_backbone(indexed: tuple[TestApp, list[dict]]) -> None:
    from imagemonkey_playground.ann import index_path
    from test_playground_hooks import HistogramBackbone

    app, images = indexed
    registry = app.app.registry
    first = index_path(registry.settings["imagemonkey.data_dir"], "efficientnet-lite0-57934424/224-center-v1")
    assert first.exists()
    plugin = HistogramBackbone()
    registry.pm.register(plugin, name="histogram-backbone")
    del registry["playground.backbone"]
    similar(app, images[0]["id"], status=409)  # not embedded by the new backbone yet: the old index is not used
    enqueue_job(registry, "playground.similar_update")
    run_jobs(app)
    second = index_path(registry.settings["imagemonkey.data_dir"], "colour-histogram-4x4x4")
    assert second.exists() and second != first
    found = similar(app, images[0]["id"])["images"]
    assert len(found) == len(images) - 1
    assert sum(entry["image"]["id"] in {i["id"] for i in images[1:5]} for entry in found[:4]) >= 3  # colours


def test_embedding_an_image_twice_is_no_error(indexed: tuple[TestApp, list[dict]]) -> None:
    """A training and the index update may embed the same new picture at once: the second insert is skipped."""
    from imagemonkey_playground import embeddings
    from imagemonkey_playground.providers import backbone_of

    from imagemonkey.plugin import app_request

    app, images = indexed
    ids = [int(images[0]["id"])]
    with app_request(app.app.registry) as request:
        embeddings.compute(request, ids, backbone_of(request.registry))  # already stored by the update job
    assert len(embedding_matrix(app)[0]) == len(images)


def test_an_update_rewrites_only_the_newest_segment(app_factory: Callable[..., TestApp]) -> None:
    from imagemonkey_playground.ann import index_path, segment_path

    app = app_factory(plugins=("playground",), **SETTINGS, **{"playground.similar_segment_size": "4"})
    images = donate(app)  # 25 pictures: segments of 4, 4, 4, 4, 4, 4 and 1
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    first = index_path(app.app.registry.settings["imagemonkey.data_dir"], "efficientnet-lite0-57934424/224-center-v1")
    files = [segment_path(first, n) for n in range(7)]
    assert all(path.exists() for path in files) and not segment_path(first, 7).exists()
    written = {path: path.stat().st_mtime_ns for path in files}
    donor = new_client(app)
    late = [app.post("/api/v1/images", params=[("label", "cat")], headers=auth(donor), upload_files=[
        ("image", f"l{turn}.jpg", encode(photograph("chelsea").rotate(turn)))]).json["image"] for turn in (90, 180)]
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    assert [path for path in files if path.stat().st_mtime_ns != written[path]] == [files[-1]]  # 1 + 2: still one
    found = [entry["image"]["id"] for entry in similar(app, late[0]["id"], limit=3)["images"]]
    assert late[1]["id"] in found  # the two rotations of the cat, found across segments
    assert len(similar(app, images[0]["id"], limit=50)["images"]) == len(images) + 1
    settings = app.app.registry.settings  # restarted with larger segments, and rebuilt into fewer of them
    again = app_factory(plugins=("playground",), **SETTINGS, **{
        "sqlalchemy.url": settings["sqlalchemy.url"], "imagemonkey.data_dir": settings["imagemonkey.data_dir"],
        "playground.similar_segment_size": "10"})
    enqueue_job(again.app.registry, "playground.similar_rebuild")
    run_jobs(again)
    assert [segment_path(first, n).exists() for n in range(8)] == [True, True, True] + [False] * 5
    assert len(similar(again, images[0]["id"], limit=50)["images"]) == len(images) + 1


def test_a_segment_missing_while_reopening_keeps_the_index_held(app_factory: Callable[..., TestApp]) -> None:
    """A reader that finds a segment the manifest names gone (a rebuild removed it between the reader's look at the
    manifest and its opening of the segments) keeps answering from the index it holds."""
    from imagemonkey_playground.ann import index_path, manifest_path, segment_path

    app = app_factory(plugins=("playground",), **SETTINGS, **{"playground.similar_segment_size": "4"})
    images = donate(app)
    enqueue_job(app.app.registry, "playground.similar_update")
    run_jobs(app)
    assert len(similar(app, images[0]["id"], limit=50)["images"]) == len(images) - 1
    first = index_path(app.app.registry.settings["imagemonkey.data_dir"], "efficientnet-lite0-57934424/224-center-v1")
    segment_path(first, 6).unlink()  # as a rebuild into fewer segments does after writing the new manifest
    stat = manifest_path(first).stat()
    os.utime(manifest_path(first), ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # ...that still names it
    assert len(similar(app, images[0]["id"], limit=50)["images"]) == len(images) - 1
