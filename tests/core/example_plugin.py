"""The source of ``acme-stickers``, an out-of-tree plugin that uses only ``imagemonkey.plugin``.

``write_distribution(root)`` writes it as a separate distribution (setup.py, package, templates,
its own Alembic lineage) for ``test_example_plugin.py`` to build and install with pip.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

SETUP = '''
from setuptools import setup

setup(
    name="acme-stickers",
    version="0.3.0",
    packages=["acme_stickers", "acme_stickers.migrations", "acme_stickers.migrations.versions"],
    package_data={"acme_stickers": ["templates/*.jinja2"], "acme_stickers.migrations": ["*.mako"]},
    install_requires=["imagemonkey"],
    entry_points={"imagemonkey.plugins": ["stickers = acme_stickers"]},
)
'''

INIT = '''
"""Stickers on images: a route, a table, a page panel, a setting, a CLI command, an action and a job."""
from imagemonkey.plugin import Setting, as_int

from . import hooks, models  # noqa: F401

SETTINGS = [Setting("stickers.per_image", 3, as_int(min=1, max=20), "Stickers one image may carry.")]


def includeme(config):
    config.declare_settings(SETTINGS)
    config.add_hooks(hooks, name="stickers")
    config.add_api_route("stickers.image", "/api/v1/images/{id}/stickers")
    config.add_api_route("stickers.recount", "/api/v1/stickers/recount")
    config.scan(".views")
'''

MODELS = '''
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from imagemonkey.plugin import Base, UTCDateTime, utcnow


class Sticker(Base):
    __tablename__ = "stickers_sticker"
    __table_args__ = {"info": {"owner": "stickers"}}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("image.id"), index=True)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id"))
    text: Mapped[str] = mapped_column(String(40))
    created_at = mapped_column(UTCDateTime(timezone=True), default=utcnow, nullable=False)
'''

VIEWS = '''
from pyramid.view import view_config
from sqlalchemy import func, select

from imagemonkey.plugin import (
    conflict, enqueue_job, get_setting, get_visible_image, invalid, json_body, record_contribution,
    require_contributor, require_role,
)

from .models import Sticker


@view_config(route_name="stickers.image", request_method="GET", renderer="json")
def list_stickers(request):
    image = get_visible_image(request, request.matchdict["id"])
    rows = request.dbsession.scalars(select(Sticker.text).where(Sticker.image_id == image.id).order_by(Sticker.id))
    return {"stickers": list(rows)}


@view_config(route_name="stickers.image", request_method="POST", renderer="json")
def add_sticker(request):
    who = require_contributor(request)
    image = get_visible_image(request, request.matchdict["id"])
    text = json_body(request).get("text")
    if not isinstance(text, str) or not 0 < len(text) <= 40:
        raise invalid("text must be 1 to 40 characters.", field="text")
    count = request.dbsession.scalar(select(func.count()).select_from(Sticker).where(Sticker.image_id == image.id))
    if count >= get_setting(request, "stickers.per_image"):
        raise conflict("This image has all the stickers it may carry.")
    sticker = Sticker(image_id=image.id, contributor_id=who.id, text=text)
    request.dbsession.add(sticker)
    request.dbsession.flush()
    record_contribution(request, "stickers.add", sticker.id)
    request.response.status = 201
    return {"id": str(sticker.id), "text": text}


@view_config(route_name="stickers.recount", request_method="POST", renderer="json")
def recount(request):
    require_role(request, "moderator")
    request.response.status = 202
    return {"job_id": enqueue_job(request, "stickers.recount", scale=2)}
'''

HOOKS = '''
from sqlalchemy import func, select

from imagemonkey.plugin import CliCommand, JobSpec, app_request, hookimpl, render_fragment

from .models import Sticker


def counts(dbsession, image_ids):
    rows = dbsession.execute(select(Sticker.image_id, func.count()).where(Sticker.image_id.in_(image_ids))
                             .group_by(Sticker.image_id))
    return dict(rows.all())


@hookimpl
def imagemonkey_serialize_images(request, images, documents):
    found = counts(request.dbsession, [image.id for image in images])
    for image, doc in zip(images, documents):
        doc["sticker_count"] = found.get(image.id, 0)


@hookimpl
def imagemonkey_page_slots(request, page, context):
    if page != "image":
        return None
    html = render_fragment(request, "acme_stickers:templates/panel.jinja2", {"image": context["image"]})
    return [{"id": "stickers-panel", "slot": "panel", "html": html}]


@hookimpl
def imagemonkey_extension_actions(request):
    return [{"id": "stickers-add", "title": "Add a sticker", "kind": "link", "contexts": ["image"],
             "url": "/images/{image_id}"}]


def add_arguments(parser):
    parser.add_argument("--min", type=int, default=0, help="only images with at least this many stickers")


def run(args, registry):
    with app_request(registry) as request:
        total = request.dbsession.scalar(select(func.count()).select_from(Sticker))
    print(f"stickers: {total}")
    return 0


@hookimpl
def imagemonkey_cli_commands():
    return [CliCommand("stickers-count", "Count the stickers.", add_arguments, run)]


def recount_job(ctx, scale):
    ctx.progress(0.5, "counting")
    with ctx.request() as request:
        total = request.dbsession.scalar(select(func.count()).select_from(Sticker))
    ctx.progress(1.0, f"counted {total}")
    return {"total": total, "scaled": total * scale}


@hookimpl
def imagemonkey_jobs():
    return [JobSpec("stickers.recount", recount_job)]
'''

PANEL = ('<section class="stickers" id="stickers-panel">'
         "{{ image.sticker_count }} stickers on image {{ image.id }}</section>\n")

ENV = '''
from imagemonkey.plugin import run_migrations_env

run_migrations_env()
'''

MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''

REVISION = '''
"""stickers table"""
import sqlalchemy as sa
from alembic import op

import imagemonkey.plugin

revision = "stickers_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stickers_sticker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=40), nullable=False),
        sa.Column("created_at", imagemonkey.plugin.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["image_id"], ["image.id"], name="fk_stickers_sticker_image_id_image"),
        sa.ForeignKeyConstraint(["contributor_id"], ["contributor.id"],
                                name="fk_stickers_sticker_contributor_id_contributor"),
        sa.PrimaryKeyConstraint("id", name="pk_stickers_sticker"),
    )
    op.create_index("ix_stickers_sticker_image_id", "stickers_sticker", ["image_id"])


def downgrade():
    op.drop_index("ix_stickers_sticker_image_id", table_name="stickers_sticker")
    op.drop_table("stickers_sticker")
'''

PLUGIN_TEST = '''
from imagemonkey.testing import auth, new_client


def test_stickers_with_the_fixtures_of_imagemonkey_testing(app_factory):
    app = app_factory(plugins=("stickers",))
    token = new_client(app)
    assert app.get("/api/v1/images/1/stickers", headers=auth(token), status=404).json["error"]["code"] == "not_found"
'''

FILES = {
    "setup.py": SETUP,
    "acme_stickers/__init__.py": INIT,
    "acme_stickers/models.py": MODELS,
    "acme_stickers/views.py": VIEWS,
    "acme_stickers/hooks.py": HOOKS,
    "acme_stickers/templates/panel.jinja2": PANEL,
    "acme_stickers/migrations/__init__.py": "",
    "acme_stickers/migrations/env.py": ENV,
    "acme_stickers/migrations/script.py.mako": MAKO,
    "acme_stickers/migrations/versions/__init__.py": "",
    "acme_stickers/migrations/versions/0001_stickers.py": REVISION,
    "tests/test_stickers.py": PLUGIN_TEST,
}


def write_distribution(root: Path) -> Path:
    """Write the distribution's files under ``root``; returns ``root``."""
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n") if name.endswith(".py") else text)
    return root
