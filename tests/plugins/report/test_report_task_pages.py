"""The Report action on the pages whose picture changes in the browser: validate's question page, its grid and
annotate's editor render report's slot only when the report plugin is on, and still work without it."""
from __future__ import annotations

from collections.abc import Callable

from report_support import ALL_PLUGINS, donate, report
from webtest import TestApp

from imagemonkey.query.dataset import insert_images
from imagemonkey.scripting import app_request
from imagemonkey.testing import auth, new_client

REPORT_JS = "/report/static/report.js"


def test_validate_pages_and_the_editor_offer_report(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=ALL_PLUGINS, **{"report.screening": "false"})
    image_id = donate(app, new_client(app))["image"]["id"]
    validate = app.get("/validate").text
    assert '<div class="slot-actions validate-slots"><div class="slot slot-action" data-slot-id="report">' in validate
    assert '<div class="report-action">' in validate and REPORT_JS in validate  # follows the picture shown
    grid = app.get("/validate/grid?label=dog").text
    template = grid[grid.index('<template id="tile-slots">'):grid.index("</template>")]
    assert '<div class="report-action report-compact">' in template and "Something else (say what)" in template
    editor = app.get(f"/annotate/{image_id}").text
    assert f'id="annotate-app" data-image-id="{image_id}"' in editor
    assert '<div class="slot-actions annotate-slots">' in editor and REPORT_JS in editor
    assert "<script>" not in validate + grid + editor  # only static files: script-src 'self'
    assert "IMAGE_EVENT" in app.get("/static/slots.js").text


def test_without_report_the_pages_have_no_slots(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=("validate", "annotate"))
    image_id = donate(app, new_client(app))["image"]["id"]
    for path in ("/validate", "/validate/grid?label=dog", f"/annotate/{image_id}"):
        page = app.get(path).text
        assert "report-action" not in page and "slot-actions" not in page and "tile-slots" not in page, path
    assert 'id="btn-yes"' in app.get("/validate").text and 'id="grid"' in app.get("/validate/grid").text


def test_the_reporters_grid_leaves_out_a_reported_picture(app_factory: Callable[..., TestApp]) -> None:
    app = app_factory(plugins=ALL_PLUGINS, **{"report.screening": "false"})
    donor, reporter, other = new_client(app), new_client(app), new_client(app)
    images = [donate(app, donor, seed=seed, labels=("cat",))["image"]["id"] for seed in range(3)]
    report(app, reporter, images[1], "other", note="a menu")

    def grid(token: str) -> list[str]:
        answer = app.get("/api/v1/tasks/grid", params={"label": "cat", "n": "9"}, headers=auth(token)).json
        return sorted(item["image"]["id"] for item in answer["items"])

    assert grid(reporter) == sorted([images[0], images[2]])
    assert grid(other) == sorted(images)


def test_every_browse_tile_offers_report_and_a_tile_from_the_next_page_is_reported(
        app_factory: Callable[..., TestApp]) -> None:
    """The tiles browse.js adds as you scroll come from #tile-slots: the same action, following the tile's picture."""
    app = app_factory(plugins=ALL_PLUGINS, **{"report.screening": "false"})
    cat = donate(app, new_client(app), labels=("cat",))["image"]["id"]  # the oldest of 55: on the second page
    with app_request(app.app.registry) as request:
        insert_images(request.dbsession, [(i, 64, 64, "public", ("dog",)) for i in range(int(cat) + 1, int(cat) + 55)])
    page = app.get("/browse").html
    tiles = page.select("#results > li.tile")
    assert len(tiles) == 50 and all(tile.select_one(".report-action.report-compact") for tile in tiles)
    assert not page.select(".report-action[data-image-id]")  # the picture is the tile's, not the fragment's
    template = page.select_one("template#tile-slots")
    form = template.select_one(".report-action.report-compact form.report-form")
    assert form.has_attr("hidden") and form.has_attr("data-popover") and form["role"] == "dialog"
    assert template.select_one(".report-open")["aria-haspopup"] == "dialog" and REPORT_JS in str(template)
    for tile in tiles:  # the server's tiles hold the very same slots
        assert "".join(map(str, tile.select(":scope > .slot"))) == template.decode_contents()
    cursor = page.select_one("#results")["data-next"]
    loaded = app.get("/api/v1/images", {"cursor": cursor, "limit": "50"}).json["images"]  # what scrolling loads
    assert [image["id"] for image in loaded][-1] == cat and len(loaded) == 5
    reporter, other = new_client(app), new_client(app)

    def grid(token: str) -> list[str]:
        answer = app.get("/api/v1/tasks/grid", params={"label": "cat", "n": "9"}, headers=auth(token)).json
        return [item["image"]["id"] for item in answer["items"]]

    assert grid(reporter) == [cat]
    report(app, reporter, cat, "spam")
    contributions = app.get("/api/v1/contributors/me/contributions", headers=auth(reporter)).json["contributions"]
    assert [entry["kind"] for entry in contributions] == ["report.report"]
    assert grid(reporter) == [] and grid(other) == [cat]
    for kind in ("validate", "label", "annotate"):
        task = app.get("/api/v1/tasks/next", params={"kind": kind}, headers=auth(reporter))
        assert task.status_int == 204 or task.json["task"]["image"]["id"] != cat, kind
