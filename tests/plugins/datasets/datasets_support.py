"""Helpers for the datasets plugin's tests: a small dataset of real photographs with votes and outlines."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from PIL import Image
from webtest import TestApp

from imagemonkey.testing import auth, new_client, new_moderator, run_jobs, settle_now

#: scikit-image's photographs: (name, format, labels, {label: shapes} outlined, labels left unverified)
PHOTOS = [
    ("astronaut", "JPEG", ["person", "shirt"], {"person": [{"type": "rect", "x": 140, "y": 20, "width": 260,
                                                           "height": 490}]}, ["shirt"]),
    ("coffee", "JPEG", ["cup"], {"cup": [{"type": "ellipse", "cx": 300, "cy": 180, "rx": 200, "ry": 150}]}, []),
    ("chelsea", "PNG", ["cat"], {"cat": [{"type": "polygon", "points": [[20, 10], [440, 30], [400, 290],
                                                                         [60, 280]]}]}, []),
    ("rocket", "JPEG", ["building", "sky"], {"building": [{"type": "rect", "x": 260, "y": 20, "width": 110,
                                                       "height": 400}]}, []),
    ("camera", "PNG", ["person", "camera"], {}, ["camera"]),
]


def photo(name: str, fmt: str) -> bytes:
    """A scikit-image photograph encoded as ``fmt`` (grey ones as RGB)."""
    import skimage.data

    pixels = getattr(skimage.data, name)()
    if pixels.ndim == 2:
        pixels = np.stack([pixels] * 3, axis=-1)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def verify(app: TestApp, image_label_id: str) -> None:
    """Vote yes with fresh contributors until validate calls the label verified."""
    for _ in range(12):
        app.post_json(f"/api/v1/image-labels/{image_label_id}/votes", {"vote": "yes"}, headers=auth(new_client(app)))
        settle_now(app)
        if app.get(f"/api/v1/image-labels/{image_label_id}").json["state"] == "verified":
            return
    raise AssertionError(f"image label {image_label_id} never became verified")


def build_photo_dataset(app: TestApp, photos: list[tuple[Any, ...]] = PHOTOS) -> dict[str, Any]:
    """Donate the photographs with their labels, verify all labels but the listed ones, outline some.

    Returns ``{"images": {name: image document}, "token": donor token}``."""
    token = new_client(app)
    images = {}
    for name, fmt, labels, outlines, unverified in photos:
        image = app.post("/api/v1/images", params=[("label", label) for label in labels],
                         upload_files=[("image", f"{name}.{fmt.lower()}", photo(name, fmt))],
                         headers=auth(token), status=201).json["image"]
        for image_label in image["labels"]:
            if image_label["label"] not in unverified:
                verify(app, image_label["id"])
            if image_label["label"] in outlines:
                app.post_json(f"/api/v1/image-labels/{image_label['id']}/annotations",
                              {"shapes": outlines[image_label["label"]]}, headers=auth(token), status=201)
        images[name] = app.get(f"/api/v1/images/{image['id']}").json
    return {"images": images, "token": token}


def release(app: TestApp, moderator: str, **body: Any) -> dict[str, Any]:
    """POST a release, run its job here, and return the finished Release document."""
    answer = app.post_json("/api/v1/releases", body, headers=auth(moderator), status=202).json
    run_jobs(app)
    return app.get(f"/api/v1/releases/{answer['release']['version']}").json


def local_url(url: str) -> str:
    """The path and query of an absolute URL the API gave (WebTest wants those)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def download(app: TestApp, doc: dict[str, Any], target: Path) -> dict[str, Path]:
    """Every file of a release into ``target``; zips are unpacked into a folder named after the format."""
    target.mkdir(parents=True, exist_ok=True)
    found = {}
    for item in doc["files"]:
        path = target / item["name"]
        path.write_bytes(app.get(local_url(item["url"])).body)
        found[item["name"]] = path
        if item["name"].endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                archive.extractall(target / item["format"])
    return found


__all__ = ["build_photo_dataset", "download", "new_moderator", "photo", "release", "run_jobs", "verify"]
