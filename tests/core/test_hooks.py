"""One test per core hookspec (``test_hook_<name>``), each triggered over HTTP, plus the meta-test.

Most hooks are implemented by a small recording object registered on the running app's
plugin manager. ``imagemonkey_task_kinds`` is read when the app is built, so those tests
use a real plugin (installed through an entry point) that registers the object handed to
it in the setting ``recorder.impl``.
"""
from __future__ import annotations

import importlib
import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, tuple_
from support import count_rows, donate, install_plugin, jpeg, stored_blob_files, write_plugin
from webtest import TestApp

import imagemonkey.hookspecs
from imagemonkey.errors import ApiError
from imagemonkey.export import ExportContext, Exporter, run_export
from imagemonkey.hookspecs import hookimpl
from imagemonkey.jobs import JobContext, JobSpec, enqueue_job
from imagemonkey.models import Image, ImageLabel
from imagemonkey.plugin import BrowseOrder
from imagemonkey.plugins import PluginError, installed_plugins
from imagemonkey.query import QueryField, QueryPrefix, has_label
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugins.md"
RECORDER = '''
from imagemonkey.plugin import Setting


def includeme(config):
    config.declare_settings([Setting("recorder.impl", None, lambda impl: impl, "The object whose hooks to record.")])
    config.add_hooks(config.registry.settings["recorder.impl"], name="recorder")
'''


@pytest.fixture
def recorder_app(app_factory: Callable[..., TestApp], tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Callable[[object], TestApp]:
    """Build an app with the ``recorder`` plugin registering ``impl`` before the app starts."""
    write_plugin(tmp_path / "site", "recorder", RECORDER)
    install_plugin(monkeypatch, tmp_path / "site")

    def build(impl: object, **settings: Any) -> TestApp:
        return app_factory(plugins=("recorder",), **{"recorder.impl": impl, **settings})

    return build


def register(app: TestApp, impl: object) -> object:
    app.app.registry.pm.register(impl)
    return impl


def image_id(response: Any) -> str:
    return response.json["image"]["id"]


# -- events ------------------------------------------------------------------------------------------------------------


def test_hook_imagemonkey_image_donated(app: TestApp, token: str) -> None:
    class Recorder:
        calls: list[tuple[str, bool, int, list[str]]] = []

        @hookimpl
        def imagemonkey_image_donated(self, request: Any, image: Any, duplicate: bool) -> None:
            labels = list(request.dbsession.scalars(select(ImageLabel.label).where(ImageLabel.image_id == image.id)))
            self.calls.append((str(image.id), duplicate, request.contributor.id, labels))

    rec = register(app, Recorder())
    data = jpeg(1)
    first = image_id(donate(app, token, data, labels=("dog",)))
    me = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    again = donate(app, token, data, status=200)
    assert again.json["duplicate"] is True
    assert rec.calls == [(first, False, me, ["dog"]), (first, True, me, ["dog"])]


def test_hook_event_raising_rolls_the_request_back(app: TestApp, token: str) -> None:
    class Refuse:
        @hookimpl
        def imagemonkey_image_donated(self, request: Any, image: Any, duplicate: bool) -> None:
            raise ApiError(409, "refused_by_plugin", "No thanks.")

    register(app, Refuse())
    answer = donate(app, token, jpeg(2), labels=("dog",), status=409)
    assert answer.json["error"]["code"] == "refused_by_plugin"
    assert count_rows(app, Image) == 0
    assert count_rows(app, ImageLabel) == 0


def test_hook_imagemonkey_image_labeled(app: TestApp, token: str) -> None:
    class Recorder:
        calls: list[tuple[str, list[str], list[str]]] = []

        @hookimpl
        def imagemonkey_image_labeled(self, request: Any, image: Any, image_labels: list[Any]) -> None:
            self.calls.append((str(image.id), [il.label for il in image_labels], [str(il.id) for il in image_labels]))

    rec = register(app, Recorder())
    image = image_id(donate(app, token, jpeg(3), labels=("dog", "puppy")))
    assert rec.calls[0][:2] == (image, ["dog"])
    added = app.post_json(f"/api/v1/images/{image}/labels", {"labels": ["cat", "dog", "dog/head", "zorblax"]},
                          headers=auth(token), status=201).json
    assert rec.calls[1][:2] == (image, ["cat", "dog/head"])
    assert rec.calls[1][2] == [doc["id"] for doc in added["labels"]]
    app.post_json(f"/api/v1/images/{image}/labels", {"labels": ["cat"]}, headers=auth(token), status=201)
    assert len(rec.calls) == 2  # nothing new, no event


def test_hook_imagemonkey_image_status_changed(app: TestApp, token: str, moderator: str) -> None:
    class Recorder:
        calls: list[tuple[str, str, str, str | None, int]] = []

        @hookimpl
        def imagemonkey_image_status_changed(self, request: Any, image: Any, old_status: str, new_status: str,
                                             reason: str | None) -> None:
            if reason == "veto":
                raise ApiError(409, "vetoed", "A plugin vetoed this.")
            self.calls.append((str(image.id), old_status, new_status, reason, request.contributor.id))

    rec = register(app, Recorder())
    image = image_id(donate(app, token, jpeg(4)))
    mod_id = int(app.get("/api/v1/me", headers=auth(moderator)).json["id"])
    app.post_json(f"/api/v1/images/{image}/status", {"status": "hidden", "reason": "blurry"},
                  headers=auth(moderator))
    assert rec.calls == [(image, "public", "hidden", "blurry", mod_id)]
    app.post_json(f"/api/v1/images/{image}/status", {"status": "hidden"}, headers=auth(moderator))
    assert len(rec.calls) == 1  # unchanged status: no event
    files = stored_blob_files(app)
    app.post_json(f"/api/v1/images/{image}/status", {"status": "removed", "reason": "veto"},
                  headers=auth(moderator), status=409)
    assert app.get(f"/api/v1/images/{image}", headers=auth(moderator)).json["status"] == "hidden"
    assert stored_blob_files(app) == files and files  # rolled back: the files stay


def test_hook_imagemonkey_revert_contributor(app: TestApp, token: str, moderator: str) -> None:
    class Recorder:
        calls: list[tuple[int, int]] = []

        @hookimpl
        def imagemonkey_revert_contributor(self, request: Any, contributor: Any) -> dict[str, int]:
            labels_left = count_labels(request, contributor.id)
            self.calls.append((contributor.id, labels_left))
            return {"recorder.thing": 2, "label.add": 10}

    def count_labels(request: Any, contributor_id: int) -> int:
        return len(list(request.dbsession.scalars(select(ImageLabel.id)
                                                  .where(ImageLabel.contributor_id == contributor_id))))

    rec = register(app, Recorder())
    donate(app, token, jpeg(5), labels=("dog",))
    who = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    reverted = app.post(f"/api/v1/contributors/{who}/revert", headers=auth(moderator)).json["reverted"]
    assert rec.calls == [(who, 1)]  # plugins run before core removes the labels
    assert reverted["recorder.thing"] == 2
    assert reverted["label.add"] == 11  # counts of the same kind are added up
    assert reverted["image.donate"] == 1


# -- collected contributions -------------------------------------------------------------------------------------------


def test_hook_imagemonkey_task_kinds(recorder_app: Callable[[object], TestApp]) -> None:
    class Kinds:
        @hookimpl
        def imagemonkey_task_kinds(self) -> list[str]:
            return ["count", "zeta"]

    app = recorder_app(Kinds())
    assert app.get("/api/v1/info").json["task_kinds"] == ["count", "label", "zeta"]
    token = new_client(app)
    # kind "count" is served by nobody: the dispatcher accepts it, no plugin answers → 204
    app.get("/api/v1/tasks/next", {"kind": "count"}, headers=auth(token), status=204)
    app.get("/api/v1/tasks/next", {"kind": "other"}, headers=auth(token), status=404)

    class Taken:
        @hookimpl
        def imagemonkey_task_kinds(self) -> list[str]:
            return ["label"]

    with pytest.raises(PluginError, match="task kind 'label'"):  # core serves "label": no silent takeover
        recorder_app(Taken())


def test_hook_imagemonkey_next_task(recorder_app: Callable[[object], TestApp]) -> None:
    class Counting:
        calls: list[tuple[str, str | None, int]] = []
        left = 2

        @hookimpl
        def imagemonkey_task_kinds(self) -> list[str]:
            return ["count"]

        @hookimpl
        def imagemonkey_next_task(self, request: Any, kind: str, label: str | None) -> dict[str, Any] | None:
            if kind != "count":
                return None
            self.calls.append((kind, label, request.contributor.id))
            if not self.left:
                return {}
            self.left -= 1
            return {"kind": "count", "remaining": self.left}

    impl = Counting()
    app = recorder_app(impl)
    token = new_client(app)
    me = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    first = app.get("/api/v1/tasks/next", {"kind": "count", "label": "Puppy"}, headers=auth(token)).json
    assert first == {"task": {"kind": "count", "remaining": 1}}
    assert impl.calls == [("count", "dog", me)]  # the label arrives resolved through the catalog
    app.get("/api/v1/tasks/next", {"kind": "count"}, headers=auth(token), status=200)
    app.get("/api/v1/tasks/next", {"kind": "count"}, headers=auth(token), status=204)
    unknown = app.get("/api/v1/tasks/next", {"kind": "count", "label": "zorblax"}, headers=auth(token), status=404)
    assert unknown.json["error"]["code"] == "unknown_label"
    assert len(impl.calls) == 3
    # core's own kind still works next to the plugin's (and the plugin is asked but returns None)
    app.get("/api/v1/tasks/next", {"kind": "label"}, headers=auth(token), status=204)


def test_hook_imagemonkey_statistics(app: TestApp, token: str) -> None:
    class Stats:
        @hookimpl
        def imagemonkey_statistics(self, request: Any) -> dict[str, Any]:
            return {"recorder": {"answer": 42}}

    class Nothing:
        @hookimpl
        def imagemonkey_statistics(self, request: Any) -> None:
            return None

    register(app, Stats())
    register(app, Nothing())
    donate(app, token, jpeg(6), labels=("dog",))
    stats = app.get("/api/v1/statistics").json
    assert stats["recorder"] == {"answer": 42}
    assert stats["images"]["total"] == 1
    assert stats["labels"]["image_labels"] == 1


def test_hook_imagemonkey_extension_actions(app: TestApp) -> None:
    class Actions:
        @hookimpl
        def imagemonkey_extension_actions(self, request: Any) -> list[dict[str, Any]]:
            return [{"id": "recorder-act", "title": "Record", "contexts": ["page", "popup"]}]

    before = [a["id"] for a in app.get("/api/v1/extension").json["actions"]]
    register(app, Actions())
    actions = app.get("/api/v1/extension").json["actions"]
    assert [a["id"] for a in actions] == before + ["recorder-act"]  # core first, then plugins in load order
    assert actions[-1]["contexts"] == ["page", "popup"]


def test_hook_imagemonkey_navigation(app: TestApp) -> None:
    class Nav:
        @hookimpl
        def imagemonkey_navigation(self, request: Any) -> list[dict[str, Any]]:
            return [{"title": "Recorder page", "href": "/recorder", "description": "Where records live."}]

    assert "Recorder page" not in app.get("/").text
    register(app, Nav())
    home = app.get("/").text
    assert 'href="/recorder"' in home and "Where records live." in home
    assert home.index("Browse") < home.index("Recorder page")
    assert "Recorder page" in app.get("/browse").text  # in the layout of every page


def test_hook_imagemonkey_exporters(app: TestApp, token: str, tmp_path: Path) -> None:
    class IdsExporter(Exporter):
        name = "ids"
        description = "one image id per line"

        def export(self, ctx: ExportContext) -> dict[str, int]:
            ids = [str(image.id) for batch in ctx.batches(batch_size=1) for image in batch]
            (ctx.out_dir / "ids.txt").write_text("\n".join(ids))
            return {"images": len(ids)}

    class Exporters:
        @hookimpl
        def imagemonkey_exporters(self) -> list[Any]:
            return [IdsExporter()]

    first = image_id(donate(app, token, jpeg(7)))
    second = image_id(donate(app, token, jpeg(8)))
    with pytest.raises(ValueError, match="unknown export format 'ids'"):
        run_export(app.app.registry, "ids", tmp_path / "none")
    register(app, Exporters())
    assert run_export(app.app.registry, "ids", tmp_path / "out") == {"images": 2}
    assert (tmp_path / "out" / "ids.txt").read_text().split() == [first, second]


def test_hook_imagemonkey_export_attributes(app: TestApp, token: str, tmp_path: Path) -> None:
    class Colours:
        asked: list[list[int]] = []

        @hookimpl
        def imagemonkey_export_attributes(self, request: Any, image_label_ids: list[int]) -> dict[int, Any]:
            self.asked.append(sorted(image_label_ids))
            return {image_label_id: {"color": "brown"} for image_label_id in image_label_ids if image_label_id % 2}

    class Sizes:
        @hookimpl
        def imagemonkey_export_attributes(self, request: Any, image_label_ids: list[int]) -> None:
            return None

    labels = donate(app, token, jpeg(9), labels=("dog", "cat")).json["image"]["labels"]
    ids = {item["label"]: int(item["id"]) for item in labels}
    register(app, Colours())
    register(app, Sizes())
    run_export(app.app.registry, "json", tmp_path, copy_images=False)
    (row,) = [json.loads(line) for line in (tmp_path / "images.jsonl").read_text().splitlines()]
    assert row["attributes"] == {name: {"color": "brown"} for name, found in ids.items() if found % 2}
    assert Colours.asked == [sorted(ids.values())]  # one call for the batch


def test_hook_imagemonkey_export_shape_attributes(app: TestApp, token: str, tmp_path: Path) -> None:
    from imagemonkey.plugin import export_formats

    class ShapeIds(Exporter):
        name = "shape-ids"

        def export(self, ctx: ExportContext) -> dict[str, int]:
            found = ctx.shape_attributes_of([1, 2, 3])
            assert ctx.shape_attributes_of([]) == {}  # nothing asked, no hook call
            (ctx.out_dir / "shapes.json").write_text(json.dumps(found))
            return {"shapes": len(found)}

    class Plugin:
        asked: list[list[int]] = []

        @hookimpl
        def imagemonkey_exporters(self) -> list[Exporter]:
            return [ShapeIds()]

        @hookimpl
        def imagemonkey_export_shape_attributes(self, request: Any, shape_ids: list[int]) -> dict[int, Any]:
            self.asked.append(shape_ids)
            return {shape_id: {"color": "black"} for shape_id in shape_ids if shape_id != 2}

    class Sizes:
        @hookimpl
        def imagemonkey_export_shape_attributes(self, request: Any, shape_ids: list[int]) -> dict[int, Any]:
            return {3: {"size": "small"}}

    register(app, Plugin())
    register(app, Sizes())
    assert "shape-ids" in export_formats(app.app.registry)
    assert run_export(app.app.registry, "shape-ids", tmp_path / "out") == {"shapes": 2}
    assert json.loads((tmp_path / "out" / "shapes.json").read_text()) == {
        "1": {"color": "black"}, "3": {"color": "black", "size": "small"}}
    assert Plugin.asked == [[1, 2, 3]]

    class Clash:
        @hookimpl
        def imagemonkey_export_shape_attributes(self, request: Any, shape_ids: list[int]) -> dict[int, Any]:
            return {1: {"color": "green"}}

    register(app, Clash())
    with pytest.raises(PluginError, match="shape 1 the export attribute 'color'"):
        run_export(app.app.registry, "shape-ids", tmp_path / "again")


def test_hook_imagemonkey_outline_shapes(app: TestApp, token: str) -> None:
    from imagemonkey.plugin import app_request, outline_shapes

    rect = {"type": "rect", "x": 1, "y": 2, "width": 3, "height": 4}

    class Outlines:
        asked: list[tuple[list[int], list[int]]] = []

        @hookimpl
        def imagemonkey_outline_shapes(self, request: Any, image_label_ids: list[int],
                                       shape_ids: list[int]) -> list[dict[str, Any]]:
            self.asked.append((image_label_ids, shape_ids))
            return [{"id": 7, "image_label_id": i, "shape": rect} for i in image_label_ids] + \
                [{"id": s, "image_label_id": 1, "shape": rect} for s in shape_ids]

    class Nothing:
        @hookimpl
        def imagemonkey_outline_shapes(self, request: Any, image_label_ids: list[int],
                                       shape_ids: list[int]) -> None:
            return None

    with app_request(app.app.registry) as request:
        assert outline_shapes(request, image_label_ids=[5]) == []  # no plugin keeps outlines
    register(app, Outlines())
    register(app, Nothing())
    with app_request(app.app.registry) as request:
        assert outline_shapes(request) == []  # nothing asked: the hook is not called
        assert outline_shapes(request, image_label_ids=(5,), shape_ids=["9"]) == [
            {"id": 7, "image_label_id": 5, "shape": rect}, {"id": 9, "image_label_id": 1, "shape": rect}]
    assert Outlines.asked == [([5], [9])]


def test_hook_imagemonkey_serialize_image_labels(app: TestApp, token: str) -> None:
    class Extra:
        batches: list[int] = []

        @hookimpl
        def imagemonkey_serialize_image_labels(self, request: Any, image_labels: list[Any],
                                               documents: list[dict[str, Any]]) -> None:
            self.batches.append(len(image_labels))
            for image_label, doc in zip(image_labels, documents, strict=True):
                doc["shout"] = image_label.label.upper()

    rec = register(app, Extra())
    image = donate(app, token, jpeg(9), labels=("dog", "cat")).json["image"]
    assert [doc["shout"] for doc in image["labels"]] == ["DOG", "CAT"]
    one = app.get(f"/api/v1/image-labels/{image['labels'][1]['id']}").json
    assert one["shout"] == "CAT" and one["label"] == "cat"
    rec.batches.clear()
    donate(app, token, jpeg(10), labels=("bird",))
    rec.batches.clear()
    page = app.get("/api/v1/images").json["images"]
    assert sum(len(img["labels"]) for img in page) == 3
    assert rec.batches == [3]  # one call for the whole page, not one per image


def test_hook_imagemonkey_describe_contributions(app: TestApp, token: str) -> None:
    class Words:
        batches: list[list[str]] = []

        @hookimpl
        def imagemonkey_describe_contributions(self, request: Any, documents: list[dict[str, Any]]) -> None:
            self.batches.append([doc["kind"] for doc in documents])
            for doc in documents:
                if doc["kind"] == "image.donate":  # core described it already; a plugin may say more
                    doc["text"], doc["url"] = doc["text"] + " (thank you)", "/thanks"

    rec = register(app, Words())
    first = donate(app, token, jpeg(31), labels=("dog",)).json["image"]
    donate(app, token, jpeg(32))
    log = app.get("/api/v1/contributors/me/contributions", headers=auth(token)).json["contributions"]
    assert rec.batches == [["image.donate", "label.add", "image.donate"]]  # one call for the whole page
    assert [(e["kind"], e["text"], e.get("url")) for e in log][1:] == [
        ("label.add", f'Labelled image {first["id"]} "dog"', f"/images/{first['id']}"),
        ("image.donate", f"Donated image {first['id']} (thank you)", "/thanks")]


def test_hook_imagemonkey_contribution_kinds(app: TestApp, token: str) -> None:
    class Kinds:
        @hookimpl
        def imagemonkey_contribution_kinds(self) -> dict[str, str]:
            return {"label.add": "names given", "recorder.thing": "things"}

    register(app, Kinds())
    donate(app, token, jpeg(33), labels=("dog",))
    summary = app.get("/api/v1/contributors/me/summary", headers=auth(token)).json
    assert summary["by_kind"] == {"image.donate": 1, "label.add": 1}
    assert summary["kinds"] == {"image.donate": "donations", "label.add": "names given"}  # only the kinds counted


def test_hook_imagemonkey_openapi_paths(app: TestApp, app_factory: Callable[..., TestApp]) -> None:
    class Paths:
        @hookimpl
        def imagemonkey_openapi_paths(self) -> dict[str, Any]:
            ok = {"200": {"description": "ok"}}
            return {"/api/v1/recorder": {"get": {"summary": "Records", "responses": ok}},
                    "/api/v1/images": {"delete": {"summary": "Extra verb", "responses": ok}}}

    register(app, Paths())
    paths = app.get("/api/v1/openapi.json").json["paths"]
    assert paths["/api/v1/recorder"]["get"]["summary"] == "Records"
    assert set(paths["/api/v1/images"]) == {"get", "post", "delete"}  # merged into core's item, not replacing it
    other = app_factory().get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/recorder" not in other and set(other["/api/v1/images"]) == {"get", "post"}  # nothing leaks


def test_hook_imagemonkey_jobs(recorder_app: Callable[[object], TestApp]) -> None:
    class Jobs:
        calls: list[tuple[str, dict[str, Any]]] = []

        @staticmethod
        def double(ctx: JobContext, n: int) -> dict[str, int]:
            Jobs.calls.append((ctx.job_id, ctx.params))
            ctx.progress(0.5, "doubling")
            return {"n": 2 * n}

        @hookimpl
        def imagemonkey_jobs(self) -> list[JobSpec]:
            return [JobSpec("recorder.double", self.double)]

    app = recorder_app(Jobs())
    moderator = new_moderator(app)
    job_id = enqueue_job(app.app.registry, "recorder.double", n=21)
    assert run_jobs(app) == 1
    assert Jobs.calls == [(job_id, {"n": 21})]
    done = app.get(f"/api/v1/jobs/{job_id}", headers=auth(moderator)).json
    assert (done["state"], done["result"], done["message"]) == ("done", {"n": 42}, "doubling")


def test_hook_imagemonkey_jobs_duplicate_names_stop_start_up(recorder_app: Callable[[object], TestApp]) -> None:
    def noop(ctx: JobContext) -> None:
        return None

    class Twice:
        @hookimpl
        def imagemonkey_jobs(self) -> list[JobSpec]:
            return [JobSpec("recorder.noop", noop), JobSpec("recorder.noop", noop)]

    with pytest.raises(PluginError, match="'recorder.noop' is registered twice"):
        recorder_app(Twice())


# -- meta --------------------------------------------------------------------------------------------------------------


def core_hookspecs() -> list[Any]:
    return specs_of(imagemonkey.hookspecs)


def specs_of(module: Any) -> list[Any]:
    return [obj for _, obj in inspect.getmembers(module, inspect.isfunction) if hasattr(obj, "imagemonkey_spec")]


def plugin_hookspecs() -> dict[str, list[Any]]:
    """Every built-in plugin's own hookspecs (a ``hookspecs`` module next to its entry point), by plugin name."""
    found = {}
    for name, entry_point in installed_plugins().items():
        module = entry_point.value.split(":")[0]
        if not (ROOT / "plugins" / name).is_dir():
            continue  # plugins installed by other tests
        try:
            found[name] = specs_of(importlib.import_module(f"{module}.hookspecs"))
        except ModuleNotFoundError:
            found[name] = []
    return found


def defined_test_names() -> set[str]:
    """Every ``test_*`` function defined anywhere under tests/."""
    return {match for path in (ROOT / "tests").rglob("test_*.py")
            for match in re.findall(r"^def (test_\w+)\(", path.read_text(encoding="utf-8"), re.M)}


def headings(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"#+\s", line)]


def check_specs(specs: list[Any], docs: Path, tests: set[str]) -> None:
    doc_headings = headings(docs)
    for spec in specs:
        doc = spec.__doc__ or ""
        assert doc.strip(), f"{spec.__name__} has no docstring"
        for parameter in inspect.signature(spec).parameters:
            assert f":param {parameter}:" in doc, f"{spec.__name__}: no ':param {parameter}:' in its docstring"
        assert f"test_hook_{spec.__name__}" in tests, f"no test_hook_{spec.__name__} under tests/"
        assert any(re.search(rf"\b{spec.__name__}\b", line) for line in doc_headings), \
            f"no heading for {spec.__name__} in {docs}"


def test_every_hookspec_documented_and_tested() -> None:
    specs = core_hookspecs()
    assert len(specs) >= 18
    check_specs(specs, DOCS, defined_test_names())


def test_every_plugin_hookspec_documented_and_tested() -> None:
    found = plugin_hookspecs()
    assert found.get("validate"), "validate declares hooks; the meta-test must see them"
    tests = defined_test_names()
    for name, specs in found.items():
        check_specs(specs, ROOT / "docs" / "plugins" / f"{name}.md", tests)


def test_hook_imagemonkey_query_prefixes(app: TestApp, token: str) -> None:
    class Wide:
        @hookimpl
        def imagemonkey_query_prefixes(self) -> list[QueryPrefix]:
            # "wide:dog": the image has the label and is wider than tall
            return [QueryPrefix("wide", "landscape images with the label",
                                lambda label, image_id: has_label(label, image_id) & (Image.width > Image.height))]

    register(app, Wide())
    wide = image_id(donate(app, token, jpeg(7, 96, 48), labels=("dog",)))
    donate(app, token, jpeg(8, 48, 96), labels=("dog",))
    found = app.get("/api/v1/images", {"q": "wide:puppy"}).json["images"]
    assert [image["id"] for image in found] == [wide]  # the alias arrives resolved to "dog"
    assert app.get("/api/v1/images", {"q": "narrow:dog"}, status=400).json["error"]["position"] == 0


def test_hook_imagemonkey_browse_orders(app: TestApp, token: str) -> None:
    class Narrowest:
        @hookimpl
        def imagemonkey_browse_orders(self) -> list[BrowseOrder]:
            # "narrowest": by width, then id; the key (width, id) is unique per image and the cursor
            def order(statement: Any, after: list[int] | None) -> Any:
                statement = statement.add_columns(Image.width, Image.id).order_by(Image.width, Image.id)
                return statement if after is None else statement.where(tuple_(Image.width, Image.id) > tuple(after))
            return [BrowseOrder("narrowest", "narrowest pictures first", order)]

    register(app, Narrowest())
    widths = (120, 48, 96, 64)
    ids = {width: image_id(donate(app, token, jpeg(40 + width, width, 48), labels=("dog",))) for width in widths}
    first = app.get("/api/v1/images", {"order": "narrowest", "limit": 3}).json
    assert [image["id"] for image in first["images"]] == [ids[48], ids[64], ids[96]]
    rest = app.get("/api/v1/images", {"order": "narrowest", "limit": 3, "cursor": first["next_cursor"]}).json
    assert [image["id"] for image in rest["images"]] == [ids[120]] and rest["next_cursor"] is None
    assert app.get("/api/v1/images", {"order": "narrowest", "cursor": "bad"}, status=400).json["error"]["code"]
    assert app.get("/api/v1/images", {"order": "widest"}, status=400).json["error"]["code"] == "invalid_order"


def test_query_prefix_with_a_text_argument(app: TestApp, token: str) -> None:
    class Format:
        @hookimpl
        def imagemonkey_query_prefixes(self) -> list[QueryPrefix]:
            # "format:jpeg": any word, passed as written (no catalog lookup)
            return [QueryPrefix("format", "the image's file format", lambda text, image_id: Image.format == text,
                                argument="text")]

    register(app, Format())
    jpg = image_id(donate(app, token, jpeg(9), labels=("dog",)))
    assert [image["id"] for image in app.get("/api/v1/images", {"q": 'format:jpeg & dog'}).json["images"]] == [jpg]
    assert app.get("/api/v1/images", {"q": 'format:"png"'}).json["images"] == []  # not a label: no unknown_label
    with pytest.raises(ValueError, match="argument"):
        QueryPrefix("bad", "a prefix", lambda text, image_id: Image.id > 0, argument="number")


def test_hook_imagemonkey_query_count_fields(app: TestApp, token: str) -> None:
    class Pixels:
        @hookimpl
        def imagemonkey_query_count_fields(self) -> list[QueryField]:
            # "kilopixels >= 4": a number per image, as a plugin's COUNT on its own table would be
            return [QueryField("kilopixels", "thousands of pixels", lambda image_id: Image.width * Image.height / 1000)]

    register(app, Pixels())  # before the first query: fields are collected once per app
    big = image_id(donate(app, token, jpeg(13, 96, 48), labels=("dog",)))
    donate(app, token, jpeg(14, 20, 20), labels=("dog",))
    found = app.get("/api/v1/images", {"q": "dog & kilopixels >= 4"}).json["images"]
    assert [image["id"] for image in found] == [big]
    unknown = app.get("/api/v1/images", {"q": "dog & megapixels > 1"}, status=400).json["error"]
    assert unknown["code"] == "unknown_field" and "kilopixels" in unknown["message"] and unknown["position"] == 6


def test_a_count_field_or_prefix_may_not_take_a_core_name(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory()

    class Clash:
        @hookimpl
        def imagemonkey_query_count_fields(self) -> list[QueryField]:
            return [QueryField("labels", "a clash with core's", lambda image_id: Image.id)]

        @hookimpl
        def imagemonkey_query_prefixes(self) -> list[QueryPrefix]:
            return [QueryPrefix("any", "a clash with core's", has_label)]

    register(app, Clash())
    from imagemonkey.query import query_fields, query_prefixes
    with pytest.raises(ValueError, match="'labels'"):
        query_fields(app.app.registry)
    with pytest.raises(ValueError, match="'any'"):
        query_prefixes(app.app.registry)


def test_query_prefixes_receive_the_registry(app: TestApp, token: str) -> None:
    seen: list[Any] = []

    class Minimum:
        @hookimpl
        def imagemonkey_query_prefixes(self, registry: Any) -> list[QueryPrefix]:
            # "min:N": wider than a number the app's registry holds (how a prefix reaches app state)
            seen.append(registry)
            return [QueryPrefix("min", "at least as wide as the registry says",
                                lambda text, image_id: Image.width >= registry["test.widths"][text], argument="text")]

    app.app.registry["test.widths"] = {"wide": 90}
    register(app, Minimum())
    wide = image_id(donate(app, token, jpeg(13, 96, 48), labels=("dog",)))
    donate(app, token, jpeg(14, 48, 96), labels=("dog",))
    assert [image["id"] for image in app.get("/api/v1/images", {"q": "min:wide"}).json["images"]] == [wide]
    assert seen == [app.app.registry]


def test_hook_imagemonkey_query_property_clause(app: TestApp, token: str) -> None:
    asked: list[tuple[str, str, str]] = []

    class Sizes:
        @hookimpl
        def imagemonkey_query_property_clause(self, label: str, property: str, value: str, image_id: Any) -> Any:
            # a stand-in for refine: "brown" dogs are the wide pictures
            asked.append((label, property, value))
            return (Image.width > Image.height) if value == "brown" else (Image.width <= Image.height)

    answer = app.get("/api/v1/images", {"q": "dog[color=brown]"}, status=400).json["error"]
    assert answer["code"] == "query_syntax" and "refine" in answer["message"] and answer["position"] == 4
    register(app, Sizes())
    wide = image_id(donate(app, token, jpeg(10, 96, 48), labels=("dog",)))
    tall = image_id(donate(app, token, jpeg(11, 48, 96), labels=("dog",)))
    cat = image_id(donate(app, token, jpeg(12, 96, 48), labels=("cat",)))
    found = [image["id"] for image in app.get("/api/v1/images", {"q": "puppy[Color=Brown]"}).json["images"]]
    assert found == [wide] and asked[-1] == ("dog", "color", "brown")  # resolved and lower-cased by core
    found = [image["id"] for image in app.get("/api/v1/images", {"q": "cat | dog[color=black]"}).json["images"]]
    assert found == [cat, tall]
    unknown = app.get("/api/v1/images", {"q": "dog[size=big]"}, status=400).json["error"]
    assert unknown["code"] == "unknown_property" and "color" in unknown["message"] and unknown["position"] == 4
    value = app.get("/api/v1/images", {"q": "dog & cat[color=purple]"}, status=400).json["error"]
    assert value["code"] == "unknown_property" and "tabby" in value["message"] and value["position"] == 10
    compared = app.get("/api/v1/images", {"q": "dog[color!=brown]"}, status=400).json["error"]
    assert compared["code"] == "query_syntax" and compared["position"] == 9


def test_hook_imagemonkey_verified_image_labels(app_factory: Callable[..., TestApp], tmp_path: Path) -> None:
    """Core alone never ticks a hunt label off; a plugin answering the hook does, for the ids it names."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "two.json").write_text(json.dumps({"labels": [{"name": name, "description": name, "plural": name + "s"}
                                                            for name in ("cat", "dog")]}))
    app = app_factory(**{"imagemonkey.labels_dir": str(folder)})
    token = new_client(app)
    image = donate(app, token, jpeg(31), labels=("dog", "cat")).json["image"]
    dog = next(int(label["id"]) for label in image["labels"] if label["label"] == "dog")
    asked: list[list[int]] = []

    def statuses() -> dict[str, str]:
        return {item["label"]: item["status"] for item in app.get("/api/v1/me/hunt", headers=auth(token)).json["hunt"]}

    class Verifier:
        @hookimpl
        def imagemonkey_verified_image_labels(self, request: Any, image_label_ids: list[int]) -> list[int]:
            asked.append(sorted(image_label_ids))
            return [dog] if dog in image_label_ids else []

    assert statuses() == {"cat": "donated", "dog": "donated"}
    register(app, Verifier())
    assert statuses() == {"cat": "donated", "dog": "verified"}
    assert len(asked) == 1 and len(asked[0]) == 2
