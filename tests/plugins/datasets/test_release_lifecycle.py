"""Releases over time: reproducible rebuilds, include_unverified, CHANGES.md, takedown revisions, the job's progress."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from datasets_support import PHOTOS, build_photo_dataset, local_url, release, verify  # noqa: E402

from imagemonkey.testing import auth, new_moderator, run_jobs  # noqa: E402

pytest.importorskip("imagemonkey_validate")
pytest.importorskip("imagemonkey_annotate")
PLUGINS = ("validate", "annotate", "datasets")
SETTINGS = {"imagemonkey.moderation": "post"}


def files(app: Any, doc: dict[str, Any]) -> dict[str, bytes]:
    return {item["name"]: app.get(local_url(item["url"])).body for item in doc["files"]}


def index(app: Any, doc: dict[str, Any]) -> dict[int, dict[str, Any]]:
    body = files(app, doc)["images.jsonl"].decode()
    return {row["image_id"]: row for row in map(json.loads, body.splitlines())}


def test_rebuild_is_identical_unverified_is_a_choice_and_changes_are_listed(app_factory: Any) -> None:
    app = app_factory(plugins=PLUGINS, **SETTINGS)
    data = build_photo_dataset(app, PHOTOS[:3])
    moderator = new_moderator(app)
    first = release(app, moderator, version="1.0")
    again = release(app, moderator, version="1.1")
    assert first["digest"] == again["digest"] and len(first["digest"]) == 64
    one, two = files(app, first), files(app, again)
    archives = [name for name in one if name.endswith((".zip", ".tar")) or name == "images.jsonl"]
    assert len(archives) == 7
    for name in archives:
        assert one[name] == two[name], name  # byte-identical: sorted entries, fixed times and owners

    astronaut = data["images"]["astronaut"]
    assert [label["label"] for label in index(app, first)[int(astronaut["id"])]["labels"]] == ["person"]
    with_unverified = release(app, moderator, version="1.2", include_unverified=True, formats=["coco"])
    labels = index(app, with_unverified)[int(astronaut["id"])]["labels"]
    assert labels == [{"label": "person", "state": "verified", "attributes": {}},
                      {"label": "shirt", "state": "unverified", "attributes": {}}]
    assert with_unverified["digest"] != first["digest"]
    assert "include_unverified: yes" in files(app, with_unverified)["README.md"].decode()
    assert with_unverified["formats"] == ["coco"] and with_unverified["include_unverified"] is True

    shirt = next(label["id"] for label in astronaut["labels"] if label["label"] == "shirt")
    verify(app, shirt)
    later = release(app, moderator, version="2.0")
    changes = files(app, later)["CHANGES.md"].decode()
    assert "Against 1.2 (revision 1)" in changes and "Labels verified since: 1" in changes
    assert f"{astronaut['id']}: shirt" in changes
    assert later["digest"] != first["digest"]

    listed = app.get("/api/v1/releases?limit=2").json
    assert [item["version"] for item in listed["releases"]] == ["2.0", "1.2"]
    rest = app.get(f"/api/v1/releases?limit=2&cursor={listed['next_cursor']}").json
    assert [item["version"] for item in rest["releases"]] == ["1.1", "1.0"] and rest["next_cursor"] is None
    assert app.get("/api/v1/releases/latest").json["version"] == "2.0"
    job = app.get(f"/api/v1/jobs/{later['job']['id']}", headers=auth(moderator)).json
    assert job["state"] == "done" and job["progress"] == 1.0


def test_takedown_makes_a_new_revision_and_withdraws_the_old_files(app_factory: Any) -> None:
    app = app_factory(plugins=PLUGINS, **SETTINGS)
    data = build_photo_dataset(app, PHOTOS[:3])
    moderator = new_moderator(app)
    first = release(app, moderator, version="1.0")
    old = {item["name"]: local_url(item["url"]) for item in first["files"]}
    assert app.get(old["coco-r1.zip"]).status_int == 200
    cup = data["images"]["coffee"]
    app.post_json(f"/api/v1/images/{cup['id']}/status", {"status": "removed", "reason": "copyright"},
                  headers=auth(moderator))
    building = app.get("/api/v1/releases/1.0").json
    assert building["revision"] == 2 and building["status"] == "building"
    assert app.get(old["coco-r1.zip"]).status_int == 200  # still served until the revision is ready
    run_jobs(app)
    revised = app.get("/api/v1/releases/1.0").json
    assert revised["status"] == "ready" and revised["revision"] == 2 and revised["reason"] == "removed (copyright)"
    assert revised["counts"]["images"] == 2 and int(cup["id"]) not in index(app, revised)
    error = app.get(old["coco-r1.zip"], status=410).json["error"]
    assert error["code"] == "withdrawn" and error["release"] == {"version": "1.0", "revision": 1}
    assert app.get(old["coco-r1.zip"] + "?revision=1", status=410)
    names = {item["name"] for item in revised["files"]}
    assert "coco-r2.zip" in names and "coco-r1.zip" not in names
    changes = files(app, revised)["CHANGES.md"].decode()
    assert "Revision 2 takes 1 image(s) out of revision 1 (reason: removed (copyright): 1)" in changes
    assert "Images taken out: 1" in changes and cup["id"] in changes
    older = app.get("/api/v1/releases/1.0?revision=1").json
    assert older["status"] == "withdrawn" and all(item["withdrawn"] for item in older["files"])
    assert app.get("/api/v1/releases").json["releases"][0]["revision"] == 2
    page = app.get("/datasets").text
    assert "revision 2" in page and "removed (copyright)" in page

    # a second takedown makes revision 3
    app.post_json(f"/api/v1/images/{data['images']['astronaut']['id']}/status", {"status": "hidden"},
                  headers=auth(moderator))
    assert app.get("/api/v1/releases/1.0").json["revision"] == 3
    run_jobs(app)
    assert app.get("/api/v1/releases/1.0").json["counts"]["images"] == 1


def test_a_format_added_later_joins_the_listing_without_changing_the_rest(app_factory: Any) -> None:
    app = app_factory(plugins=PLUGINS, **SETTINGS)
    build_photo_dataset(app, PHOTOS[:2])
    moderator = new_moderator(app)
    first = release(app, moderator, version="1.0", formats=["coco"])
    before = files(app, first)
    assert app.post_json("/api/v1/releases/1.0/formats", {"format": "coco"}, headers=auth(moderator),
                         status=409).json["error"]["code"] == "format_exists"
    assert app.post_json("/api/v1/releases/1.0/formats", {"format": "tiff"}, headers=auth(moderator), status=422)
    assert app.post_json("/api/v1/releases/1.0/formats", {"format": "voc"}, status=401)
    answer = app.post_json("/api/v1/releases/1.0/formats", {"format": "labelme"}, headers=auth(moderator),
                           status=202).json
    run_jobs(app)
    assert app.get(f"/api/v1/jobs/{answer['job']['id']}", headers=auth(moderator)).json["state"] == "done"
    after_doc = app.get("/api/v1/releases/1.0").json
    assert after_doc["formats"] == ["coco", "labelme"] and after_doc["digest"] == first["digest"]
    after = files(app, after_doc)
    assert set(after) == set(before) | {"labelme-r1.zip"}
    for name in ("coco-r1.zip", "images.jsonl", "CITATION.cff", "CHANGES.md"):
        assert after[name] == before[name], name
    sums = dict(reversed(line.split("  ")) for line in after["SHA256SUMS"].decode().splitlines())
    import hashlib

    assert set(sums) == set(after) - {"SHA256SUMS"}
    assert all(hashlib.sha256(after[name]).hexdigest() == digest for name, digest in sums.items())
    assert "labelme-r1.zip" in after["croissant.json"].decode() and "`labelme`" in after["README.md"].decode()


@pytest.mark.counters_unchecked("hides a picture in the table itself, as a status change the build missed")
def test_an_image_taken_down_while_its_release_was_built_makes_the_next_revision(app_factory: Any,
                                                                                   tmp_path: Path) -> None:
    from imagemonkey_datasets.files import fetch_blob
    from imagemonkey_datasets.models import Release
    from imagemonkey_datasets.takedown import follow_up
    from sqlalchemy import select, update

    from imagemonkey.plugin import Image, app_request

    app = app_factory(plugins=PLUGINS, **SETTINGS)
    data = build_photo_dataset(app, PHOTOS[:2])
    first = release(app, new_moderator(app), version="1.0")
    registry = app.app.registry
    cup = int(data["images"]["coffee"]["id"])
    with app_request(registry) as request:  # the status changed after the build had read the image, its hook
        request.dbsession.execute(update(Image).where(Image.id == cup).values(status="hidden"))  # found r1 building
        release_id, key = request.dbsession.execute(select(Release.id, Release.snapshot_key)
                                                    .where(Release.version == "1.0")).one()
    follow_up(registry, release_id, fetch_blob(registry, key, tmp_path / "snapshot.jsonl"))
    assert app.get("/api/v1/releases/1.0").json["status"] == "building"
    run_jobs(app)
    revised = app.get("/api/v1/releases/1.0").json
    assert revised["revision"] == 2 and revised["reason"] == "hidden" and cup not in index(app, revised)
    assert revised["counts"]["images"] == first["counts"]["images"] - 1
