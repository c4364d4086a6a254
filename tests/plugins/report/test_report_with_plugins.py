"""Report with every other plugin: a quarantined image is never a validate or annotate task; validate's
standing hook; the plugin's routes in the OpenAPI document; the plugin alone leaves others untouched."""
from __future__ import annotations

from collections.abc import Callable

from report_support import (
    ALL_PLUGINS,
    PLUGINS,
    decide,
    donate,
    established_client,
    image_status,
    make,
    report,
    standing_client,
)
from webtest import TestApp

from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client, new_moderator


def next_task(app: TestApp, token: str, kind: str) -> dict | None:
    response = app.get("/api/v1/tasks/next", params={"kind": kind}, headers=auth(token))
    return None if response.status_int == 204 else response.json["task"]


def test_quarantined_image_is_never_a_task(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, ALL_PLUGINS)
    moderator, donor, worker = new_moderator(app), new_client(app), new_client(app)
    image_id = donate(app, donor, labels=("dog",))["image"]["id"]
    assert next_task(app, worker, "validate")["image"]["id"] == image_id
    report(app, moderator, image_id, "nudity")
    assert image_status(app, moderator, image_id) == "quarantined"
    for kind in ("validate", "annotate", "label"):
        task = next_task(app, worker, kind)
        assert task is None or task["image"]["id"] != image_id, kind
    decide(app, moderator, image_id, "keep")
    assert next_task(app, worker, "validate")["image"]["id"] == image_id


def test_hook_validate_standing(app_factory: Callable[..., TestApp]) -> None:
    # Standing comes from a counted record (issue 21): answers on settled pictures of three donors over two days,
    # anchored by a moderator's answer; a trust record alone does not count.
    from imagemonkey_validate.models import Trust

    app = make(app_factory, ALL_PLUGINS)
    token = standing_client(app, new_moderator(app), agree=8, disagree=2)
    contributor_id = int(app.get("/api/v1/me", headers=auth(token)).json["id"])
    seeded = established_client(app)
    seeded_id = int(app.get("/api/v1/me", headers=auth(seeded)).json["id"])
    with app_request(app.app.registry) as request:
        request.dbsession.add(Trust(contributor_id=seeded_id, correct=46.0, wrong=0.0))
    with app_request(app.app.registry) as request:
        standing = request.registry.pm.hook.validate_standing(request=request,
                                                              contributor_ids=[contributor_id, seeded_id, 0])
    assert standing[contributor_id] == {"reliability": (4 + 8) / (6 + 10), "evidence": 10.0}
    assert standing[seeded_id] == standing[0] == {"reliability": 4 / 6, "evidence": 0.0}


def test_routes_are_in_the_openapi_document(app_factory: Callable[..., TestApp]) -> None:
    for plugins in (PLUGINS, ALL_PLUGINS):
        paths = make(app_factory, plugins).get("/api/v1/openapi.json").json["paths"]
        for path in ("/api/v1/images/{id}/reports", "/api/v1/moderation/queue", "/api/v1/moderation/decisions",
                     "/api/v1/moderation/decisions/{id}/revert"):
            assert path in paths, path


def test_extension_offers_report_and_statistics_section(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    actions = {a["id"]: a for a in app.get("/api/v1/extension").json["actions"]}
    assert actions["report"]["kind"] == "report" and actions["report"]["reasons"][0]["value"] == "nudity"
    donor, reporter, moderator = new_client(app), new_client(app), new_moderator(app)
    image_id = donate(app, donor)["image"]["id"]
    report(app, reporter, image_id, "spam")
    decide(app, moderator, image_id, "keep")
    section = app.get("/api/v1/statistics").json["report"]
    assert section["reports_per_day"][0]["reasons"] == {"spam": 1}
    assert section["queue_length"] == 0 and section["median_seconds_to_decision"] >= 0


def test_without_report_there_are_no_report_routes(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, ("validate",))
    token = new_client(app)
    image_id = donate(app, token)["image"]["id"]
    app.post_json(f"/api/v1/images/{image_id}/reports", {"reason": "spam"}, headers=auth(token), status=404)


def test_reported_image_leaves_the_reporters_tasks(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, ALL_PLUGINS)
    donor, reporter, other = new_client(app), new_client(app), new_client(app)
    image_id = donate(app, donor, labels=("dog",))["image"]["id"]
    assert next_task(app, reporter, "validate")["image"]["id"] == image_id
    report(app, reporter, image_id, "spam")  # a fresh token: far from hiding it
    assert image_status(app, new_moderator(app), image_id) == "public"
    for kind in ("validate", "label", "annotate"):
        task = next_task(app, reporter, kind)
        assert task is None or task["image"]["id"] != image_id, kind
    assert next_task(app, other, "validate")["image"]["id"] == image_id


def test_report_action_on_the_image_page_and_browse_tiles(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    image_id = donate(app, new_client(app))["image"]["id"]
    page = app.get(f"/images/{image_id}").text
    assert f'class="report-action" data-image-id="{image_id}"' in page
    assert "/report/static/report.js" in page and "Violence or gore" in page
    assert 'class="report-action report-compact"' in app.get("/browse").text
    assert app.get("/report/static/report.js").content_type in ("application/javascript", "text/javascript")


def test_moderate_page_holds_the_queue_section(app_factory: Callable[..., TestApp]) -> None:
    page = make(app_factory).get("/moderate").text
    assert 'id="report-moderation"' in page and "/report/static/moderate.js" in page
    assert '<option value="screened">screened</option>' in page and "<script>" not in page


def test_each_plugin_says_its_log_entries_in_words(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory, ALL_PLUGINS)
    moderator, donor, worker, judge = new_moderator(app), new_client(app), new_client(app), new_client(app)
    image = donate(app, donor, labels=("dog", "cat"))["image"]
    dog, cat = (next(il["id"] for il in image["labels"] if il["label"] == name) for name in ("dog", "cat"))
    app.post_json(f"/api/v1/image-labels/{dog}/votes", {"vote": "yes"}, headers=auth(worker))
    shapes = {"shapes": [{"type": "rect", "x": 10, "y": 20, "width": 30, "height": 40}]}
    outline = app.post_json(f"/api/v1/image-labels/{dog}/annotations", shapes, headers=auth(worker)).json
    app.post_json("/api/v1/votes", {"votes": [{"kind": "annotation", "subject_id": outline["annotation"]["id"],
                                               "vote": "no"}]}, headers=auth(judge))
    app.post(f"/api/v1/image-labels/{cat}/skip", headers=auth(worker))
    app.post(f"/api/v1/image-labels/{cat}/not-annotatable", headers=auth(worker))
    report(app, worker, image["id"], "spam")
    decision = decide(app, moderator, image["id"], "remove")["decision"]["id"]
    app.post_json(f"/api/v1/moderation/decisions/{decision}/revert", {}, headers=auth(moderator))
    page, number = f"/images/{image['id']}", image["id"]

    def words(token: str) -> list[tuple[str, str, str | None]]:
        log = app.get("/api/v1/contributors/me/contributions", headers=auth(token)).json["contributions"]
        return [(entry["kind"], entry["text"], entry.get("url")) for entry in reversed(log)]

    assert words(worker) == [
        ("validate.vote", f'Answered whether image {number} shows "dog"', page),
        ("annotate.revision", f'Outlined "dog" on image {number}', page),
        ("annotate.skip", f'Skipped outlining "cat" on image {number}', page),
        ("annotate.not_annotatable", f'Said "cat" on image {number} cannot be outlined', page),
        ("report.report", f"Reported image {number} (spam)", page)]
    assert words(judge) == [("validate.vote", f'Judged an outline of "dog" on image {number}', page)]
    assert [entry for entry in words(moderator) if entry[0].startswith("report.")] == [
        ("report.decision", f"Removed image {number}", page),
        ("report.decision_revert", f"Undid: removed image {number}", page)]
    kinds = app.get("/api/v1/contributors/me/summary", headers=auth(worker)).json["kinds"]
    assert kinds == {"validate.vote": "answers", "annotate.revision": "outlines", "annotate.skip": "outlines skipped",
                     "annotate.not_annotatable": "labels that cannot be outlined", "report.report": "reports"}
