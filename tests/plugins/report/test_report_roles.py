"""Decisions follow core's role hierarchy: a moderator cannot revert and block an admin (or another moderator)
through a decision, nor undo a decision of a higher role (issue 21, items 1 and 2)."""
from __future__ import annotations

from collections.abc import Callable

from report_support import decide, donate, image_status, make
from webtest import TestApp

from imagemonkey.testing import auth, new_account, new_client, new_moderator


def revert_decision(app: TestApp, token: str, decision_id: str, status: int = 200) -> dict:
    """POST a decision's revert."""
    return app.post_json(f"/api/v1/moderation/decisions/{decision_id}/revert", {}, headers=auth(token),
                         status=status).json


def test_moderator_cannot_revert_and_block_an_admin(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, admin = new_moderator(app), new_account(app, "root", "admin")
    image_id = donate(app, admin)["image"]["id"]
    answer = decide(app, moderator, image_id, "remove_and_revert", status=403)
    assert answer["error"]["code"] == "forbidden"
    assert image_status(app, admin, image_id) == "public"  # nothing changed
    app.get("/api/v1/me", headers=auth(admin), status=200)
    donate(app, admin, seed=1)  # the admin's token still writes
    app.post_json("/api/v1/sessions", {"username": "root", "password": "correct horse"}, status=201)
    decide(app, moderator, image_id, "remove")  # hiding the picture itself is a moderator's call
    assert image_status(app, admin, image_id) == "hidden"


def test_moderator_cannot_revert_another_moderator_but_an_admin_can(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, other = new_moderator(app), new_moderator(app, "mod2")
    admin = new_account(app, "root", "admin")
    image_id = donate(app, other)["image"]["id"]
    assert decide(app, moderator, image_id, "remove_and_revert", status=403)["error"]["code"] == "forbidden"
    decide(app, admin, image_id, "remove_and_revert")
    assert donate(app, other, seed=3, status=403)["error"]["code"] == "blocked"


def test_moderator_cannot_undo_an_admins_decision(app_factory: Callable[..., TestApp]) -> None:
    app = make(app_factory)
    moderator, admin, donor = new_moderator(app), new_account(app, "root", "admin"), new_client(app)
    image_id = donate(app, donor)["image"]["id"]
    decision = decide(app, admin, image_id, "remove_and_revert")["decision"]
    assert revert_decision(app, moderator, decision["id"], status=403)["error"]["code"] == "forbidden"
    assert donate(app, donor, seed=5, status=403)["error"]["code"] == "blocked"  # still blocked
    assert image_status(app, admin, image_id) == "removed"
    other = new_moderator(app, "mod2")
    second = donate(app, new_client(app), seed=6)["image"]["id"]
    kept = decide(app, other, second, "remove")["decision"]
    revert_decision(app, moderator, kept["id"])  # a moderator may undo a moderator's decision
    assert image_status(app, moderator, second) == "public"
    revert_decision(app, admin, decision["id"])  # and an admin an admin's
    donate(app, donor, seed=5)
