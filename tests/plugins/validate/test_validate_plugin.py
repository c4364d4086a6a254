"""Hooks and integration: other plugins' subject kinds, events, revert, statistics, pages, export, all plugins."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from validate_support import PLUGINS, donate, image_label, next_task, vote, vote_settled
from webtest import TestApp

from imagemonkey.export import run_export
from imagemonkey.hookspecs import hookimpl
from imagemonkey.plugins import installed_plugins
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client, new_moderator, run_jobs, settle_now
from imagemonkey_validate.models import Subject


class OutlinePlugin:
    """A plugin with its own votable kind, as the annotate plugin adds one."""

    def __init__(self) -> None:
        self.images: dict[int, int] = {}
        self.events: list[tuple[str, int, str, str]] = []

    @hookimpl
    def validate_subject_kinds(self) -> list[dict]:
        return [{"kind": "outline", "question": "Is this outline of {article} {label} right?",
                 "describe": self.describe}]

    def describe(self, request, subject_ids: list[int]) -> dict[int, dict]:  # noqa: ANN001
        return {sid: {"image_id": self.images[sid], "label": "apple", "outline": {"id": str(sid)}}
                for sid in subject_ids if sid in self.images}

    @hookimpl
    def validate_state_changed(self, request, kind: str, subject_id: int, image_id: int, label: str,  # noqa: ANN001
                               old_state: str, new_state: str, confidence: float) -> None:
        self.events.append((kind, subject_id, old_state, new_state))


def announce(app, hook: str, **kwargs) -> None:  # noqa: ANN001
    with app_request(app.app.registry) as request:
        getattr(request.registry.pm.hook, hook)(request=request, **kwargs)


def states(request, kind: str, subject_ids: list[int]) -> dict[int, str]:  # noqa: ANN001
    """What other plugins see: the ``validate_states`` hook."""
    return request.registry.pm.hook.validate_states(request=request, kind=kind, subject_ids=subject_ids)


def outline_setup(app_factory: Callable[..., TestApp]) -> tuple[TestApp, OutlinePlugin, dict, str]:
    """An app with the outline kind registered, one donated image and a voter done with its image label."""
    app = app_factory(plugins=PLUGINS)
    plugin = OutlinePlugin()
    app.app.registry.pm.register(plugin, name="outline-test")
    image = donate(app, new_client(app), ("apple",), seed=1)
    voter = new_client(app)
    vote(app, voter, image["labels"][0]["id"], "yes")  # the image label itself is done for this voter
    plugin.images[7] = int(image["id"])
    announce(app, "validate_subject_changed", kind="outline", subject_id=7, image_id=int(image["id"]), label="apple",
             owner_id=None)
    return app, plugin, image, voter


def test_hook_validate_subject_kinds(app_factory: Callable[..., TestApp]):
    app, _, image, voter = outline_setup(app_factory)
    task = next_task(app, voter)
    assert task["subject_kind"] == "outline" and task["subject_id"] == "7"
    assert task["question"] == "Is this outline of an apple right?" and task["outline"] == {"id": "7"}
    assert task["image"]["id"] == image["id"]


def test_hook_validate_state_changed(app_factory: Callable[..., TestApp]):
    app, plugin, _, voter = outline_setup(app_factory)
    result = app.post_json("/api/v1/votes", {"votes": [{"kind": "outline", "subject_id": "7", "vote": "yes"}]},
                           headers=auth(voter)).json["results"][0]
    assert result["ok"] and result["vote"] == "yes" and result["settlement"] == "pending"
    assert result["votes"]["yes"] == 0 and result["state"] == "unverified"  # the last settled state
    settle_now(app)
    with app_request(app.app.registry) as request:
        subject = request.dbsession.scalar(select(Subject).where(Subject.kind == "outline", Subject.subject_id == 7))
        assert subject.yes_count == 1 and subject.pending_since is None
    assert plugin.events == []  # no state change yet
    app.post_json("/api/v1/votes", {"votes": [{"kind": "outline", "subject_id": 7, "vote": "no"}]},
                  headers=auth(new_moderator(app)))
    settle_now(app)  # the state changes when the vote is settled
    assert plugin.events[-1] == ("outline", 7, "unverified", "rejected")


def test_hook_validate_states(app_factory: Callable[..., TestApp]):
    app, _, _, _ = outline_setup(app_factory)
    app.post_json("/api/v1/votes", {"votes": [{"kind": "outline", "subject_id": 7, "vote": "no"}]},
                  headers=auth(new_moderator(app)))
    settle_now(app)
    with app_request(app.app.registry) as request:
        assert states(request, "outline", [7, 8]) == {7: "rejected"}  # unknown ids are left out
        assert states(request, "outline", []) == {}


def test_hook_validate_subject_changed(app_factory: Callable[..., TestApp]):
    app, plugin, image, voter = outline_setup(app_factory)
    app.post_json("/api/v1/votes", {"votes": [{"kind": "outline", "subject_id": 7, "vote": "no"}]},
                  headers=auth(new_moderator(app)))
    settle_now(app)
    # a new revision resets votes and state
    announce(app, "validate_subject_changed", kind="outline", subject_id=7, image_id=int(image["id"]), label="apple",
             owner_id=None)
    assert plugin.events[-1] == ("outline", 7, "rejected", "unverified")
    assert next_task(app, voter)["subject_id"] == "7"


def test_hook_validate_subject_removed(app_factory: Callable[..., TestApp]):
    app, _, _, voter = outline_setup(app_factory)
    announce(app, "validate_subject_removed", kind="outline", subject_id=7)
    assert next_task(app, voter) is None
    with app_request(app.app.registry) as request:
        assert states(request, "outline", [7]) == {}


def test_owner_of_other_kind_may_not_vote_and_gone_subjects_are_skipped(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    plugin = OutlinePlugin()
    app.app.registry.pm.register(plugin, name="outline-test")
    image = donate(app, new_client(app), ("apple",), seed=2)
    owner = app.post("/api/v1/clients", status=201).json
    owner_id = int(app.get("/api/v1/me", headers=auth(owner["token"])).json["id"])
    announce(app, "validate_subject_changed", kind="outline", subject_id=3, image_id=int(image["id"]), label="apple",
             owner_id=owner_id)
    voter = new_client(app)
    vote(app, voter, image["labels"][0]["id"], "yes")
    assert next_task(app, voter) is None  # id 3 is unknown to the plugin: gone
    result = app.post_json("/api/v1/votes", {"votes": [{"kind": "outline", "subject_id": 3, "vote": "yes"}]},
                           headers=auth(owner["token"])).json["results"][0]
    assert result["status"] == 403 and result["error"]["code"] == "own_donation"


def test_revert_removes_votes_and_recomputes_states(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS, **{"validate.min_votes": "1", "validate.verify_confidence": "0.6",
                                          "validate.reject_confidence": "0.6"})
    donor = new_client(app)
    il = donate(app, donor, ("dog",), seed=3)["labels"][0]["id"]
    spammer = app.post("/api/v1/clients", status=201).json
    assert vote_settled(app, spammer["token"], il, "no")["state"] == "rejected"
    voter = new_client(app)
    assert next_task(app, voter) is None
    moderator = new_moderator(app)
    reverted = app.post_json(f"/api/v1/contributors/{spammer['client_id']}/revert", {},
                             headers=auth(moderator)).json["reverted"]
    assert reverted["validate.vote"] == 1
    doc = image_label(app, il)
    assert doc["state"] == "unverified" and doc["votes"] == {"yes": 0, "no": 0, "unsure": 0}
    assert next_task(app, voter)["image_label"]["id"] == il
    stats = app.get("/api/v1/statistics").json["validate"]
    assert stats["labels"] == [{"label": "dog", "verified": 0, "rejected": 0, "contested": 0, "open": 1, "total": 1}]


def test_revert_of_a_labeller_drops_their_subjects(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    donor = app.post("/api/v1/clients", status=201).json
    donate(app, donor["token"], ("dog", "cat"), seed=4)
    app.post_json(f"/api/v1/contributors/{donor['client_id']}/revert", {}, headers=auth(new_moderator(app)))
    assert app.get("/api/v1/statistics").json["validate"]["labels"] == []


def test_statistics_extension_navigation_openapi_pages(app_factory: Callable[..., TestApp]):
    app = app_factory(plugins=PLUGINS)
    il = donate(app, new_client(app), ("dog", "cat"), seed=5)["labels"][0]["id"]
    vote(app, new_moderator(app), il, "yes")
    settle_now(app)
    stats = app.get("/api/v1/statistics").json["validate"]
    assert {row["label"]: row["verified"] for row in stats["labels"]} == {"dog": 1, "cat": 0}
    assert stats["votes_per_day"][-1]["count"] == 1
    actions = app.get("/api/v1/extension").json["actions"]
    action = next(a for a in actions if a["id"] == "validate")
    assert {"id": "validate", "kind": "task", "title": "Validate", "contexts": ["popup"]}.items() <= action.items()
    answer = action["task"]["answer"]  # what the extension's question card asks and where it answers
    assert action["task"]["kind"] == "validate" and [c["value"] for c in answer["choices"]] == ["yes", "no", "unsure"]
    voter, label_id = new_client(app), app.get("/api/v1/images").json["images"][0]["labels"][0]["id"]
    path = answer["path"].replace("{image_label_id}", label_id)
    assert app.post_json(path, {answer["field"]: "unsure"}, headers=auth(voter)).json["vote"] == "unsure"
    settle_now(app)  # counted after the commit
    assert app.get(f"/api/v1/image-labels/{label_id}").json["votes"]["unsure"] >= 1
    paths = app.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/image-labels/{id}/votes", "/api/v1/votes", "/api/v1/tasks/grid"):
        assert "post" in paths[path] or "get" in paths[path]
    assert "validate" in app.get("/api/v1/info").json.get("task_kinds", ["validate"])
    home = app.get("/").text
    assert 'href="/validate"' in home and 'href="/validate/grid"' in home
    page = app.get("/validate").text
    assert "validate.js" in page and 'data-vote="yes"' in page
    assert "grid.js" in app.get("/validate/grid", params={"label": "dog"}).text
    assert app.get("/validate/static/validate.js").content_type.endswith("javascript")


def test_imagefolder_export(app_factory: Callable[..., TestApp], tmp_path: Path):
    app = app_factory(plugins=PLUGINS)
    donor = new_client(app)
    moderator = new_moderator(app)
    expected = {}
    for seed in range(12):
        labels = ("dog", "dog/head") if seed % 3 == 0 else ("cat",)
        image = donate(app, donor, labels, seed=100 + seed)
        for il in image["labels"]:
            vote(app, moderator, il["id"], "no" if seed == 11 else "yes")
            if seed != 11:
                expected.setdefault(il["label"], set()).add(image["id"])
    settle_now(app)
    donate(app, donor, ("cat",), seed=200)  # unverified: not exported
    counts = run_export(app.app.registry, "imagefolder", tmp_path / "out")
    out = tmp_path / "out"
    found: dict[str, set[str]] = {}
    splits = {}
    for path in out.glob("*/*/*"):
        split, folder, name = path.relative_to(out).parts
        found.setdefault(folder.replace("__", "/"), set()).add(name.split(".")[0])
        assert splits.setdefault(name, split) == split  # one image, one split
    assert found == expected
    assert (out / "train" / "dog__head").is_dir() or (out / "val" / "dog__head").is_dir()
    assert counts["images"] == 11 and counts["classes"] == 3 and counts["train"] + counts["val"] == 11
    again = tmp_path / "again"
    run_export(app.app.registry, "imagefolder", again)
    assert sorted(p.relative_to(again) for p in again.rglob("*")) == sorted(p.relative_to(out) for p in out.rglob("*"))
    datasets = pytest.importorskip("torchvision.datasets")
    for split in ("train", "val"):
        if any((out / split).iterdir()):
            dataset = datasets.ImageFolder(str(out / split), allow_empty=True)  # same classes in both splits
            assert len(dataset) == sum(1 for _ in (out / split).glob("*/*"))
            dataset[0][0].load()


def test_with_every_plugin_enabled(app_factory: Callable[..., TestApp]):
    plugins = tuple(sorted(installed_plugins()))
    app = app_factory(plugins=plugins)
    donor = new_client(app)
    il = donate(app, donor, ("dog",), seed=6)["labels"][0]["id"]
    run_jobs(app)  # with report enabled a donation is screened (a job) before anyone else sees it
    voter = new_client(app)
    assert next_task(app, voter)["image_label"]["id"] == il
    assert vote_settled(app, voter, il, "yes")["votes"]["yes"] == 1
    assert image_label(app, il)["state"] == "unverified"
    assert "validate" in app.get("/api/v1/statistics").json


def test_hook_validate_verified_clause(app_factory: Callable[..., TestApp]):
    """Another plugin selects verified image labels with validate's clause (a moderator's yes verifies)."""
    from sqlalchemy import select

    from imagemonkey.models import ImageLabel

    app = app_factory(plugins=PLUGINS)
    donor, moderator = new_client(app), new_moderator(app)
    verified = donate(app, donor, ("dog",), seed=300)["labels"][0]["id"]
    rejected = donate(app, donor, ("cat",), seed=301)["labels"][0]["id"]
    donate(app, donor, ("cow",), seed=302)  # no votes: unverified
    vote_settled(app, moderator, verified, "yes")
    vote_settled(app, moderator, rejected, "no")
    with app_request(app.app.registry) as request:
        clause = request.registry.pm.hook.validate_verified_clause(request=request, image_label_id=ImageLabel.id)
        labels = request.dbsession.scalars(select(ImageLabel.label).where(clause)).all()
    assert image_label(app, verified)["state"] == "verified"
    assert labels == ["dog"]
