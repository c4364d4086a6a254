"""The label catalog (API, validation, CLI check), suggestions, labelling images, and labels sync."""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import app_db_url, donate, jpeg
from webtest import TestApp

from imagemonkey.cli import main
from imagemonkey.labels.catalog import DEFAULT_CATALOG_DIR, CatalogError, load_catalog
from imagemonkey.testing import auth, new_client

COCO = [
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
    "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow", "elephant",
    "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard",
    "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
    "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange", "broccoli",
    "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed", "dining table", "toilet",
    "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink",
    "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
]


def entry(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": f"A {name}.", "plural": f"{name}s", **extra}


def catalog_dir(tmp_path: Path, files: dict[str, Any]) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (folder / name).write_text(text)
    return folder


# -- GET /labels -------------------------------------------------------------------------------------------------------


def test_catalog_document_etag_and_304(app: TestApp) -> None:
    answer = app.get("/api/v1/labels")
    assert answer.content_type == "application/json"
    body = answer.json
    assert body["version"] and answer.headers["ETag"] == f'"{body["version"]}"'
    dog = next(label for label in body["labels"] if label["name"] == "dog")
    assert "puppy" in dog["aliases"] and dog["plural"] == "dogs" and dog["description"]
    assert "dog/head" in [sub["name"] for sub in dog["sublabels"]]
    assert "sublabels" not in dog["sublabels"][0]
    again = app.get("/api/v1/labels", headers={"If-None-Match": answer.headers["ETag"]}, status=304)
    assert again.body == b"" and again.headers["ETag"] == answer.headers["ETag"]
    app.get("/api/v1/labels", headers={"If-None-Match": '"something-else"'}, status=200)


def test_default_catalog_has_coco_and_more() -> None:
    catalog = load_catalog(DEFAULT_CATALOG_DIR)
    missing = [name for name in COCO if name not in catalog.by_name]
    assert len(COCO) == 80 and missing == []
    for name in ("apple", "banana", "dog", "dog/head"):
        assert name in catalog.by_name
    assert catalog.resolve("Puppy") == "dog" and catalog.resolve("puppy/head") == "dog/head"
    assert catalog.resolve("zorblax") is None


def test_catalog_serves_the_label_graph_and_properties(app: TestApp) -> None:
    labels = {label["name"]: label for label in app.get("/api/v1/labels").json["labels"]}
    dog = labels["dog"]
    assert dog["is_a"] == ["mammal"] and labels["mammal"]["is_a"] == ["animal"]
    assert "brown" in dog["properties"]["color"] and "side" in labels["car"]["properties"]["view"]
    assert "sitting" in labels["person"]["properties"]["pose"]
    head = next(sub for sub in dog["sublabels"] if sub["name"] == "dog/head")
    assert head["part_of"] == ["dog"]  # a sublabel is part of its parent
    for name in ("indoor", "outdoor", "night", "beach"):
        assert labels[name]["scene"] is True and labels[name]["sublabels"] == []
    assert "scene" not in dog and "is_a" not in labels["animal"] and "properties" not in labels["animal"]


def test_catalog_kinds_are_the_transitive_is_a_closure() -> None:
    catalog = load_catalog(DEFAULT_CATALOG_DIR)
    animals = catalog.kinds("animal")
    assert {"animal", "mammal", "dog", "cat", "bird", "duck", "insect", "butterfly", "fish"} <= set(animals)
    assert "dog/head" not in animals and "car" not in animals  # parts are not kinds
    assert catalog.kinds("dog") == ("dog",) and catalog.kinds("outdoor") == ("beach", "forest", "outdoor")
    assert catalog.graph.parts["dog"][:2] == ("dog/ear", "dog/head") and catalog.graph.subtypes["bird"] == (
        "chicken", "duck")
    assert catalog.kinds("zorblax") == ()


def test_catalog_label_accessor_for_plugins(app: TestApp) -> None:
    from imagemonkey.plugin import catalog_label

    registry = app.app.registry
    dog = catalog_label(registry, " Puppy ")
    assert dog is not None and dog.name == "dog" and dog.is_a == ("mammal",) and not dog.scene
    assert "brown" in dog.properties["color"]
    with pytest.raises(TypeError):
        dog.properties["size"] = ("big", "small")  # type: ignore[index]  # read-only
    head = catalog_label(registry, "puppy/head")
    assert head is not None and head.part_of == ("dog",) and dict(head.properties) == {}
    night = catalog_label(registry, "nighttime")
    assert night is not None and night.name == "night" and night.scene
    assert catalog_label(registry, "zorblax") is None


def test_catalog_version_changes_with_content(tmp_path: Path) -> None:
    one = load_catalog(catalog_dir(tmp_path, {"a.json": {"labels": [entry("thing")]}}))
    two = load_catalog(catalog_dir(tmp_path, {"a.json": {"labels": [entry("thing"), entry("other")]}}))
    assert one.version != two.version


# -- catalog validation ------------------------------------------------------------------------------------------------

BAD_CATALOGS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("bad json", {"broken.json": '{"labels": [', "ok.json": {"labels": [entry("thing")]}},
     ["broken.json", "not valid JSON"]),
    ("labels not a list", {"top.json": {"label": []}}, ["top.json", "'labels'"]),
    ("missing description", {"animals.json": {"labels": [entry("thing"), {"name": "gnu", "plural": "gnus"}]}},
     ["animals.json", "labels[1]", "gnu", "'description'"]),
    ("duplicate across files", {"a.json": {"labels": [entry("lamp")]}, "b.json": {"labels": [entry("lamp")]}},
     ["a.json", "b.json", "'lamp'"]),
    ("alias clash", {"a.json": {"labels": [entry("sofa", aliases=["settee"])]},
                     "b.json": {"labels": [entry("couch", aliases=["settee"])]}},
     ["a.json", "b.json", "'aliases'", "settee"]),
    ("alias is a name", {"a.json": {"labels": [entry("sofa"), entry("couch", aliases=["sofa"])]}},
     ["a.json", "labels[1]", "'aliases'", "sofa"]),
    ("bad name characters", {"x.json": {"labels": [entry("Big_Dog!")]}}, ["x.json", "labels[0]", "'name'", "Big_Dog!"]),
    ("sublabel with sublabels", {"x.json": {"labels": [entry("car", sublabels=[entry("door", sublabels=[
        entry("handle")])])]}}, ["x.json", "car/door", "'sublabels'"]),
    ("unknown key", {"x.json": {"labels": [entry("car", colour="red")]}}, ["x.json", "colour"]),
    ("is_a unknown name", {"x.json": {"labels": [entry("dog", is_a=["animl"])]}}, ["x.json", "dog", "'is_a'", "animl"]),
    ("is_a an alias", {"x.json": {"labels": [entry("animal", aliases=["beast"]), entry("dog", is_a=["beast"])]}},
     ["x.json", "labels[1]", "'is_a'", "beast", "full name"]),
    ("self parent", {"x.json": {"labels": [entry("dog", is_a=["dog"])]}}, ["x.json", "dog", "'is_a'", "itself"]),
    ("self part", {"x.json": {"labels": [entry("car", part_of=["car"])]}}, ["x.json", "car", "'part_of'", "itself"]),
    ("is_a cycle", {"a.json": {"labels": [entry("dog", is_a=["mammal"])]},
                    "b.json": {"labels": [entry("mammal", is_a=["animal"]), entry("animal", is_a=["dog"])]}},
     ["cycle", "animal -> dog -> mammal -> animal"]),
    ("cycle through a part", {"x.json": {"labels": [entry("car", is_a=["wheel"], sublabels=[entry("door")]),
                                                    entry("wheel", part_of=["car/door"])]}},
     ["cycle", "car -> wheel -> car/door -> car"]),
    ("is_a twice", {"x.json": {"labels": [entry("animal"), entry("dog", is_a=["animal", "animal"])]}},
     ["x.json", "'is_a'", "twice"]),
    ("is_a not a list", {"x.json": {"labels": [entry("animal"), entry("dog", is_a="animal")]}},
     ["x.json", "'is_a'", "list"]),
    ("part_of on a sublabel", {"x.json": {"labels": [entry("car"), entry("bus", sublabels=[
        entry("door", part_of=["car"])])]}}, ["bus/door", "'part_of'", "sublabel"]),
    ("scene with sublabels", {"x.json": {"labels": [entry("beach", scene=True, sublabels=[entry("sand")])]}},
     ["beach", "'scene'", "sublabels"]),
    ("scene part of", {"x.json": {"labels": [entry("city"), entry("night", scene=True, part_of=["city"])]}},
     ["night", "'scene'"]),
    ("scene not a bool", {"x.json": {"labels": [entry("night", scene="yes")]}}, ["night", "'scene'", "true or false"]),
    ("scene is_a a thing", {"x.json": {"labels": [entry("animal"), entry("night", scene=True, is_a=["animal"])]}},
     ["night", "'is_a'", "animal", "scene"]),
    ("thing is_a a scene", {"x.json": {"labels": [entry("indoor", scene=True), entry("sofa", is_a=["indoor"])]}},
     ["sofa", "'is_a'", "indoor"]),
    ("properties not an object", {"x.json": {"labels": [entry("dog", properties=["color"])]}},
     ["dog", "'properties'"]),
    ("property with one value", {"x.json": {"labels": [entry("dog", properties={"color": ["brown"]})]}},
     ["dog", "'properties'", "'color'", "2 to"]),
    ("property value repeated", {"x.json": {"labels": [entry("dog", properties={"color": ["brown", "brown"]})]}},
     ["dog", "'properties'", "'color'", "twice"]),
    ("property bad name", {"x.json": {"labels": [entry("dog", properties={"Colour!": ["a", "b"]})]}},
     ["dog", "'properties'", "Colour!"]),
    ("property bad value", {"x.json": {"labels": [entry("dog", properties={"color": ["Brown", "black"]})]}},
     ["dog", "'properties'", "'color'", "lowercase"]),
    ("no files", {}, ["no *.json"]),
]


@pytest.mark.parametrize(("files", "expected"), [case[1:] for case in BAD_CATALOGS],
                         ids=[case[0] for case in BAD_CATALOGS])
def test_catalog_errors_name_file_and_key(tmp_path: Path, files: dict[str, Any], expected: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = catalog_dir(tmp_path, files)
    with pytest.raises(CatalogError) as caught:
        load_catalog(folder)
    for part in expected:
        assert part in str(caught.value)
    assert main(["labels", "check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("invalid label catalog:")
    for part in expected:
        assert part in err


def test_labels_check_accepts_the_default_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["labels", "check", str(DEFAULT_CATALOG_DIR)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: ")
    catalog = load_catalog(DEFAULT_CATALOG_DIR)
    links = sum(len(label.is_a) for label in catalog.by_name.values())
    scenes = sum(label.scene for label in catalog.by_name.values())
    assert links > 50 and scenes >= 4
    assert f"graph: {links} is_a and " in out and f"no cycles, {scenes} scene labels" in out


def test_labels_check_summarizes_a_small_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = catalog_dir(tmp_path, {"x.json": {"labels": [
        entry("animal"), entry("dog", is_a=["animal"], sublabels=[entry("tail")]), entry("night", scene=True)]}})
    assert main(["labels", "check", str(folder)]) == 0
    assert "graph: 1 is_a and 1 part_of links, no cycles, 1 scene labels" in capsys.readouterr().out


def test_bad_catalog_fails_app_start_up(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    folder = catalog_dir(tmp_path, {"x.json": {"labels": [{"name": "thing"}]}})
    with pytest.raises(CatalogError, match="x.json"):
        app_factory(**{"imagemonkey.labels_dir": str(folder)})


# -- suggestions -------------------------------------------------------------------------------------------------------


def test_label_suggestions_counts_and_pagination(app: TestApp, token: str) -> None:
    for name, times in (("flying saucer", 3), ("hoverboard", 1), ("jetpack", 2), ("time machine", 1)):
        for n in range(times):
            answer = app.post_json("/api/v1/label-suggestions", {"name": f"  {name.upper()} "}, headers=auth(token),
                                   status=201).json
            assert answer == {"name": name, "in_catalog": False, "usage_count": n + 1}
    known = app.post_json("/api/v1/label-suggestions", {"name": "Puppy"}, headers=auth(token), status=200).json
    assert known == {"name": "puppy", "in_catalog": True, "label": "dog"}
    seen: list[tuple[str, int]] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = app.get("/api/v1/label-suggestions", params).json
        seen += [(s["name"], s["usage_count"]) for s in page["suggestions"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 2
    assert seen == [("flying saucer", 3), ("jetpack", 2), ("time machine", 1), ("hoverboard", 1)]


@pytest.mark.parametrize("body", [{"name": 5}, {}, {"name": ""}, {"name": "x" * 200}])
def test_label_suggestion_bad_input(app: TestApp, token: str, body: dict[str, Any]) -> None:
    answer = app.post_json("/api/v1/label-suggestions", body, headers=auth(token), status=422)
    assert answer.json["error"]["field"] in ("name", "labels")


def test_label_suggestions_bad_paging(app: TestApp) -> None:
    for params in ({"limit": "0"}, {"limit": "x"}, {"limit": "100000"}, {"cursor": "!!!"}):
        answer = app.get("/api/v1/label-suggestions", params, status=400)
        assert answer.json["error"]["code"] in ("invalid_limit", "invalid_cursor")


# -- labelling images --------------------------------------------------------------------------------------------------


def test_label_image_with_names_aliases_sublabels_and_unknowns(app: TestApp, token: str) -> None:
    image = donate(app, token, jpeg(1)).json["image"]["id"]
    answer = app.post_json(f"/api/v1/images/{image}/labels",
                           {"labels": ["Dog", "puppy", "puppy/head", "banana", "flying saucer", "dog/wings"]},
                           headers=auth(token), status=201).json
    assert [doc["label"] for doc in answer["labels"]] == ["dog", "dog/head", "banana"]
    assert all(doc["image_id"] == image for doc in answer["labels"])
    assert answer["suggested"] == ["flying saucer", "dog/wings"]
    stored = app.get(f"/api/v1/images/{image}").json["labels"]
    assert [doc["label"] for doc in stored] == ["dog", "dog/head", "banana"]
    suggestions = app.get("/api/v1/label-suggestions").json["suggestions"]
    assert {"name": "flying saucer", "usage_count": 1} in suggestions
    again = app.post_json(f"/api/v1/images/{image}/labels", {"labels": ["dog", "flying saucer"]},
                          headers=auth(token), status=201).json
    assert again["labels"] == []
    one = app.get(f"/api/v1/image-labels/{stored[0]['id']}").json
    assert one == stored[0]


@pytest.mark.parametrize("body", [{"labels": "dog"}, {"labels": []}, {"labels": [1]}, {}, {"labels": ["x" * 200]},
                                  {"labels": [f"l{i}" for i in range(51)]}, {"labels": ["   "]}])
def test_label_image_bad_input(app: TestApp, token: str, body: dict[str, Any]) -> None:
    image = donate(app, token, jpeg(2)).json["image"]["id"]
    answer = app.post_json(f"/api/v1/images/{image}/labels", body, headers=auth(token), status=422)
    assert answer.json["error"]["field"] == "labels"
    assert app.get(f"/api/v1/images/{image}").json["labels"] == []


def test_label_unknown_image_and_label(app: TestApp, token: str) -> None:
    for image in ("999999", "abc", "1" * 30):
        app.post_json(f"/api/v1/images/{image}/labels", {"labels": ["dog"]}, headers=auth(token), status=404)
    for image_label in ("999999", "x"):
        assert app.get(f"/api/v1/image-labels/{image_label}", status=404).json["error"]["code"] == "not_found"


# -- labels sync -------------------------------------------------------------------------------------------------------


def catalog_with_flying_saucer(tmp_path: Path) -> Path:
    folder = tmp_path / "labels"
    shutil.copytree(DEFAULT_CATALOG_DIR, folder)
    (folder / "ufo.json").write_text(json.dumps({"labels": [entry("flying saucer", aliases=["ufo"])]}))
    return folder


def test_labels_sync_at_start_up(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    first = app_factory()
    token = new_client(first)
    image = donate(first, token, jpeg(3), labels=("dog", "flying saucer")).json
    assert image["suggested"] == ["flying saucer"]
    image_id = image["image"]["id"]
    second = app_factory(**{"sqlalchemy.url": app_db_url(first),
                            "imagemonkey.data_dir": first.app.registry.settings["imagemonkey.data_dir"],
                            "imagemonkey.labels_dir": str(catalog_with_flying_saucer(tmp_path))})
    labels = [doc["label"] for doc in second.get(f"/api/v1/images/{image_id}").json["labels"]]
    assert labels == ["dog", "flying saucer"]
    assert second.get("/api/v1/label-suggestions").json["suggestions"] == []
    # the label belongs to whoever suggested it
    mine = second.get("/api/v1/contributors/me/summary", headers=auth(token)).json
    assert mine["total"] >= 2


def test_labels_sync_command(app_factory: Callable[..., TestApp], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    app = app_factory()
    token = new_client(app)
    image_id = donate(app, token, jpeg(4), labels=("ufo",)).json["image"]["id"]
    settings = app.app.registry.settings
    ini = tmp_path / "site.ini"
    ini.write_text("[app:main]\nuse = egg:imagemonkey\n"
                   f"sqlalchemy.url = {app_db_url(app)}\n"
                   f"imagemonkey.data_dir = {settings['imagemonkey.data_dir']}\n"
                   f"imagemonkey.labels_dir = {catalog_with_flying_saucer(tmp_path)}\n"
                   "imagemonkey.plugins =\n")
    assert main(["labels", "sync", "--config", str(ini)]) == 0
    assert "image labels" in capsys.readouterr().out
    labels = [doc["label"] for doc in app.get(f"/api/v1/images/{image_id}").json["labels"]]
    assert labels == ["flying saucer"]
    assert app.get("/api/v1/label-suggestions").json["suggestions"] == []
