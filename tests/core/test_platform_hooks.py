"""The platform hooks (start-up, CLI commands, image JSON, page slots, task filter, labels removed), over HTTP."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup
from sqlalchemy import select
from support import count_rows, donate, install_plugin, jpeg, write_plugin
from test_hooks import recorder_app  # noqa: F401  (fixture)
from webtest import TestApp

from imagemonkey import core_hooks
from imagemonkey.cli import main as cli_main
from imagemonkey.models import Contribution, Image, ImageLabel
from imagemonkey.plugin import CliCommand, hookimpl
from imagemonkey.plugins import PluginError
from imagemonkey.testing import auth, new_client


def register(app: TestApp, impl: object) -> object:
    app.app.registry.pm.register(impl)
    return impl


def test_hook_imagemonkey_startup(recorder_app: Callable[..., TestApp]) -> None:  # noqa: F811
    class Startup:
        registries: list[Any] = []

        @hookimpl
        def imagemonkey_startup(self, registry: Any) -> None:
            with_db = registry["dbsession_factory"]()
            try:  # migrations are done: the tables are there
                self.registries.append((registry, with_db.scalar(select(Image.id).limit(1))))
            finally:
                with_db.close()

    impl = Startup()
    app = recorder_app(impl)
    assert impl.registries == [(app.app.registry, None)]  # once per built app, before any request

    class Refuse:
        @hookimpl
        def imagemonkey_startup(self, registry: Any) -> None:
            raise RuntimeError("not today")

    with pytest.raises(RuntimeError, match="not today"):  # raising stops start-up
        recorder_app(Refuse())


HELLO = '''
from imagemonkey.plugin import CliCommand, app_request, hookimpl, Image
from sqlalchemy import func, select


def add_arguments(parser):
    parser.add_argument("--greeting", default="hello")


def run(args, registry):
    with app_request(registry) as request:
        count = request.dbsession.scalar(select(func.count()).select_from(Image))
    print(f"{args.greeting}: {count} images, plugins {' '.join(registry.settings['imagemonkey.plugins'])}")
    return 3


@hookimpl
def imagemonkey_cli_commands():
    return [CliCommand("hello", "Say hello with the image count.", add_arguments, run)]


def includeme(config):
    import sys
    config.add_hooks(sys.modules[__name__], name="hello")
'''


def test_hook_imagemonkey_cli_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    write_plugin(tmp_path / "site", "hello", HELLO)
    install_plugin(monkeypatch, tmp_path / "site")
    data = ["--data-dir", str(tmp_path / "data"), "--plugins", "hello"]
    assert cli_main(["hello", *data, "--greeting", "hi"]) == 3  # the command's exit status
    assert "hi: 0 images, plugins hello" in capsys.readouterr().out
    assert cli_main(["nope", *data]) == 2  # an unknown command names the plugin commands
    assert "plugin commands: hello" in capsys.readouterr().err
    assert cli_main(["hello", "--data-dir", str(tmp_path / "data"), "--plugins", ""]) == 2  # not enabled
    assert "unknown command 'hello'" in capsys.readouterr().err


STICK = '''
from imagemonkey.plugin import CliCommand, hookimpl


def add_arguments(parser):
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add")
    add.add_argument("text")
    actions.add_parser("gc")


def run(args, registry):
    print(f"{args.action} {getattr(args, 'text', '-')} data={args.data_dir} plugins={args.plugins}")
    return 0


@hookimpl
def imagemonkey_cli_commands():
    return [CliCommand("stick", "Stickers: add, gc.", add_arguments, run)]


def includeme(config):
    import sys
    config.add_hooks(sys.modules[__name__], name="stick")
'''


def test_a_cli_command_with_subcommands_takes_the_data_options_anywhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write_plugin(tmp_path / "site", "stick", STICK)
    install_plugin(monkeypatch, tmp_path / "site")
    data = str(tmp_path / "data")
    assert cli_main(["stick", "--data-dir", data, "--plugins", "stick", "add", "wow"]) == 0  # before the name
    assert capsys.readouterr().out.strip().endswith(f"add wow data={data} plugins=stick")
    assert cli_main(["stick", "gc", "--data-dir", data, "--plugins", "stick"]) == 0  # after it
    assert capsys.readouterr().out.strip().endswith(f"gc - data={data} plugins=stick")
    with pytest.raises(SystemExit) as exited:  # argparse's own error for a missing subcommand
        cli_main(["stick", "--data-dir", data, "--plugins", "stick"])
    assert exited.value.code == 2 and "required: ACTION" in capsys.readouterr().err


def test_cli_command_named_like_a_core_command_or_twice_fails(recorder_app: Callable[..., TestApp]) -> None:  # noqa: F811
    from imagemonkey.cli.plugin_commands import plugin_commands

    class Two:
        @hookimpl
        def imagemonkey_cli_commands(self) -> list[CliCommand]:
            return [CliCommand("serve", "clash", lambda parser: None, lambda args, registry: 0)]

    app = recorder_app(Two())
    with pytest.raises(PluginError, match="core command"):
        plugin_commands(app.app.registry, ["serve"])

    class Again:
        @hookimpl
        def imagemonkey_cli_commands(self) -> list[CliCommand]:
            return [CliCommand("twice", "one", lambda parser: None, lambda args, registry: 0)]

    register(app, Again())
    register(app, Again())
    with pytest.raises(PluginError, match="CLI command 'twice'"):
        plugin_commands(app.app.registry, [])


def test_hook_imagemonkey_serialize_images(app: TestApp, token: str) -> None:
    class Stickers:
        batches: list[list[int]] = []

        @hookimpl
        def imagemonkey_serialize_images(self, request: Any, images: list[Any], documents: list[dict]) -> None:
            self.batches.append([image.id for image in images])
            for image, doc in zip(images, documents, strict=True):
                doc["stickers"] = image.id * 10

    impl = register(app, Stickers())
    first = donate(app, token, jpeg(1), labels=("dog",)).json["image"]
    second = donate(app, token, jpeg(2)).json["image"]
    assert first["stickers"] == int(first["id"]) * 10  # the donation answer carries it
    page = app.get("/api/v1/images").json["images"]
    assert [doc["stickers"] for doc in page] == [int(second["id"]) * 10, int(first["id"]) * 10]
    assert impl.batches[-1] == [int(second["id"]), int(first["id"])]  # one call per batch, not per image
    assert app.get(f"/api/v1/images/{first['id']}").json["stickers"] == int(first["id"]) * 10


def test_hook_imagemonkey_page_slots(app: TestApp, token: str) -> None:
    class Slots:
        pages: list[tuple[str, Any]] = []

        @hookimpl
        def imagemonkey_page_slots(self, request: Any, page: str, context: dict) -> list[dict]:
            self.pages.append((page, (context.get("image") or {}).get("id")))
            if page == "image":
                return [{"id": "rec-panel", "slot": "panel", "html": Markup("<p id='rec-panel'>panel</p>")},
                        {"id": "rec-action", "slot": "action", "html": "<b>escaped</b>"}]
            if page == "home":
                return [{"id": "rec-card", "slot": "card", "html": Markup("<p id='rec-card'>card</p>")}]
            if page == "browse_tile":  # once per page, for every tile (also those built as you scroll)
                return [{"id": "rec-tile", "slot": "action", "html": Markup("<i class='rec-tile'>tile</i>")}]
            return None

    impl = register(app, Slots())
    image = donate(app, token, jpeg(3), labels=("dog",)).json["image"]
    page = app.get(f"/images/{image['id']}").text
    assert "<p id='rec-panel'>panel</p>" in page
    assert "&lt;b&gt;escaped&lt;/b&gt;" in page  # a plain str is escaped, Markup is trusted
    assert "<p id='rec-card'>card</p>" in app.get("/").text
    assert ("image", image["id"]) in impl.pages
    impl.pages.clear()
    browse = app.get("/browse").html
    assert [tile.select_one(".slot-action i.rec-tile").text for tile in browse.select("li.tile")] == ["tile"]
    assert browse.select_one("li.tile")["data-image-id"] == image["id"]
    assert browse.select_one("template#tile-slots").decode_contents().startswith('<div class="slot slot-action"')
    assert impl.pages.count(("browse_tile", None)) == 1  # no per-tile context: the browser builds tiles too
    from imagemonkey.plugin import page_slots
    from imagemonkey.scripting import app_request

    with app_request(app.app.registry) as request:  # plugin pages whose picture changes in the browser
        for name in ("validate", "validate_grid", "annotate"):
            assert page_slots(request, name, {}) == []
            assert (name, None) in impl.pages

    class Bad:
        @hookimpl
        def imagemonkey_page_slots(self, request: Any, page: str, context: dict) -> list[dict]:
            return [{"id": "rec-card", "slot": "card", "html": ""}]

    register(app, Bad())
    assert app.get("/", status=500, expect_errors=True).status_int == 500  # a duplicate id is a PluginError


def test_page_slots_reject_an_unknown_slot_kind(app: TestApp) -> None:
    from imagemonkey.plugin import page_slots

    class Odd:
        @hookimpl
        def imagemonkey_page_slots(self, request: Any, page: str, context: dict) -> list[dict]:
            return [{"id": "odd", "slot": "sidebar", "html": ""}]

    register(app, Odd())
    from imagemonkey.scripting import app_request

    with app_request(app.app.registry) as request, pytest.raises(PluginError, match="sidebar"):
        page_slots(request, "home", {})
    with app_request(app.app.registry) as request, pytest.raises(ValueError, match="unknown page"):
        page_slots(request, "nowhere", {})


def test_hook_imagemonkey_task_image_filter(app: TestApp, token: str, moderator: str) -> None:
    class NotSeven:
        seen: list[str] = []

        @hookimpl
        def imagemonkey_task_image_filter(self, request: Any, image_id: Any) -> Any:
            self.seen.append(str(image_id))
            return image_id != request.registry["rec.blocked"]

    first = donate(app, new_client(app), jpeg(4)).json["image"]["id"]
    labeler = new_client(app)
    app.app.registry["rec.blocked"] = int(first)
    impl = register(app, NotSeven())
    app.get("/api/v1/tasks/next", {"kind": "label"}, headers=auth(labeler), status=204)  # its only image is filtered
    assert impl.seen and impl.seen[0] == "Image.id"  # a column expression, not a value
    app.app.registry["rec.blocked"] = -1
    task = app.get("/api/v1/tasks/next", {"kind": "label"}, headers=auth(labeler)).json["task"]
    assert task["image"]["id"] == first


def test_quarantined_images_are_hidden_and_never_a_task(app: TestApp, token: str, moderator: str) -> None:
    image = donate(app, token, jpeg(5)).json["image"]["id"]
    labeler = new_client(app)
    app.post_json(f"/api/v1/images/{image}/status", {"status": "quarantined", "reason": "reported"},
                  headers=auth(moderator))
    app.get("/api/v1/tasks/next", {"kind": "label"}, headers=auth(labeler), status=204)
    app.get(f"/api/v1/images/{image}", headers=auth(labeler), status=404)
    app.get(f"/api/v1/images/{image}", headers=auth(token), status=404)  # not even its donor
    assert app.get(f"/api/v1/images/{image}", headers=auth(moderator)).json["status"] == "quarantined"
    assert app.get("/api/v1/images", headers=auth(moderator)).json["images"] == []  # not browsed by default
    listed = app.get("/api/v1/images", {"status": "quarantined"}, headers=auth(moderator)).json["images"]
    assert [doc["id"] for doc in listed] == [image]  # a moderator asks for them explicitly
    stats = app.get("/api/v1/statistics").json["images"]
    assert stats["total"] == 0 and "quarantined" not in stats["by_status"]
    app.post_json(f"/api/v1/images/{image}/status", {"status": "public"}, headers=auth(moderator))
    assert app.get("/api/v1/tasks/next", {"kind": "label"}, headers=auth(labeler)).json["task"]["image"]["id"] == image


def test_hook_imagemonkey_image_labels_removed(app: TestApp, token: str, moderator: str) -> None:
    class Removed:
        calls: list[list[tuple[str, int]]] = []

        @hookimpl
        def imagemonkey_image_labels_removed(self, request: Any, image_labels: list[Any]) -> None:
            still_there = count_rows_in(request, [il.id for il in image_labels])
            self.calls.append(sorted((il.label, still_there) for il in image_labels))

    def count_rows_in(request: Any, ids: list[int]) -> int:
        return len(list(request.dbsession.scalars(select(ImageLabel.id).where(ImageLabel.id.in_(ids)))))

    impl = register(app, Removed())
    donate(app, token, jpeg(6), labels=("dog", "cat"))
    who = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    app.post(f"/api/v1/contributors/{who}/revert", headers=auth(moderator))
    assert impl.calls == [[("cat", 2), ("dog", 2)]]  # fired before the rows go
    assert count_rows(app, ImageLabel) == 0
    app.post(f"/api/v1/contributors/{who}/revert", headers=auth(moderator))
    assert len(impl.calls) == 1  # nothing left to remove: no event


def test_core_revert_runs_last_by_declaration(app: TestApp, token: str, moderator: str) -> None:
    class Early:
        labels_seen: list[int] = []

        @hookimpl
        def imagemonkey_revert_contributor(self, request: Any, contributor: Any) -> dict[str, int]:
            self.labels_seen.append(len(list(request.dbsession.scalars(
                select(ImageLabel.id).where(ImageLabel.contributor_id == contributor.id)))))
            return {}

    pm = app.app.registry.pm
    pm.unregister(name="core")
    impl = register(app, Early())
    pm.register(core_hooks, name="core")  # registered after the plugin: pluggy alone would call core first
    donate(app, token, jpeg(7), labels=("dog",))
    who = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    app.post(f"/api/v1/contributors/{who}/revert", headers=auth(moderator))
    assert impl.labels_seen == [1]
    assert count_rows(app, Contribution, Contribution.reverted.is_(True)) >= 1


class Twice:
    """Answers every collect-style hook with the id core already uses."""

    @hookimpl
    def imagemonkey_extension_actions(self, request: Any) -> list[dict]:
        return [{"id": "donate", "kind": "donate", "title": "Mine", "contexts": ["image"]}]

    @hookimpl
    def imagemonkey_statistics(self, request: Any) -> dict:
        return {"images": {"mine": True}}

    @hookimpl
    def imagemonkey_navigation(self, request: Any) -> list[dict]:
        return [{"title": "Mine", "href": "/browse", "description": "Core's browse page."}]

    @hookimpl
    def imagemonkey_exporters(self) -> list[Any]:
        from imagemonkey.export.json_exporter import JsonExporter

        return [JsonExporter()]


@pytest.mark.parametrize(("path", "what"), [("/api/v1/extension", "extension action 'donate'"),
                                            ("/api/v1/statistics", "statistics section 'images'")])
def test_collect_style_hooks_refuse_a_duplicate_id(app: TestApp, caplog: pytest.LogCaptureFixture, path: str,
                                                   what: str) -> None:
    register(app, Twice())
    assert app.get(path, status=500).status_int == 500  # never one plugin silently overwriting another
    errors = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert any(isinstance(exc, PluginError) and what in str(exc) for exc in errors)


def test_navigation_refuses_a_duplicate_href(app: TestApp) -> None:
    register(app, Twice())
    with pytest.raises(PluginError, match="navigation entry '/browse'"):  # even the error page needs the layout
        app.get("/browse")


def test_exporters_refuse_a_duplicate_name(app: TestApp) -> None:
    from imagemonkey.export import exporters

    register(app, Twice())
    with pytest.raises(PluginError, match="exporter 'json'"):
        exporters(app.app.registry)


def test_hook_imagemonkey_task_preference(app: TestApp, token: str) -> None:
    """Label tasks come from the preferred images first, then in the usual order once none of them is left."""
    ids = [int(donate(app, token, jpeg(seed)).json["image"]["id"]) for seed in range(30, 36)]
    favourite = ids[3]

    class Prefer:
        kinds: list[str] = []

        @hookimpl
        def imagemonkey_task_preference(self, request: Any, kind: str, image_id: Any) -> Any:
            self.kinds.append(kind)
            return image_id == favourite

    prefer = register(app, Prefer())
    for _ in range(4):  # without the preference, each would be one of six
        task = app.get("/api/v1/tasks/next", params={"kind": "label"}, headers=auth(new_client(app))).json["task"]
        assert int(task["image"]["id"]) == favourite
    assert set(prefer.kinds) == {"label"}
    app.post_json(f"/api/v1/images/{favourite}/labels", {"labels": ["dog"]}, headers=auth(token))
    task = app.get("/api/v1/tasks/next", params={"kind": "label"}, headers=auth(new_client(app))).json["task"]
    assert int(task["image"]["id"]) in set(ids) - {favourite}
