"""refine tables: answers and settled values

Revision ID: 040762741562
Revises:
"""
import sqlalchemy as sa
from alembic import op

from imagemonkey.plugin import UTCDateTime

revision = "040762741562"
down_revision = None
branch_labels = None
depends_on = None


def _keys(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(["image_label_id"], ["image_label.id"], name=f"fk_{table}_image_label_id_image_label",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["image_id"], ["image.id"], name=f"fk_{table}_image_id_image", ondelete="CASCADE"),
    ]


def upgrade() -> None:
    op.create_table(
        "refine_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_label_id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("property", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        *_keys("refine_answer"),
        sa.ForeignKeyConstraint(["contributor_id"], ["contributor.id"],
                                name="fk_refine_answer_contributor_id_contributor", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_refine_answer"),
        sa.UniqueConstraint("image_label_id", "property", "contributor_id",
                            name="uq_refine_answer_image_label_id_property_contributor_id"),
        info={"owner": "refine"},
    )
    op.create_index("ix_refine_answer_contributor_id", "refine_answer", ["contributor_id"])
    op.create_table(
        "refine_settled",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_label_id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=128), nullable=False),
        sa.Column("property", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("settled_at", UTCDateTime(timezone=True), nullable=False),
        *_keys("refine_settled"),
        sa.PrimaryKeyConstraint("id", name="pk_refine_settled"),
        sa.UniqueConstraint("image_label_id", "property", name="uq_refine_settled_image_label_id_property"),
        info={"owner": "refine"},
    )
    op.create_index("ix_refine_settled_label_property_value_image_id", "refine_settled",
                    ["label", "property", "value", "image_id"])


def downgrade() -> None:
    op.drop_index("ix_refine_settled_label_property_value_image_id", table_name="refine_settled")
    op.drop_table("refine_settled")
    op.drop_index("ix_refine_answer_contributor_id", table_name="refine_answer")
    op.drop_table("refine_answer")
