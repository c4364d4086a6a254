"""refine: properties of outlined objects (a shape_id on answers and settled values)

Revision ID: 4b4c53eb0d67
Revises: 040762741562
"""
import sqlalchemy as sa
from alembic import op

revision = "4b4c53eb0d67"
down_revision = "040762741562"
branch_labels = None
depends_on = None

OLD = {"refine_answer": ("uq_refine_answer_image_label_id_property_contributor_id",
                         ["image_label_id", "property", "contributor_id"]),
       "refine_settled": ("uq_refine_settled_image_label_id_property", ["image_label_id", "property"])}
NEW = {"refine_answer": ("uq_refine_answer_subject_contributor",
                         ["image_label_id", "shape_id", "property", "contributor_id"]),
       "refine_settled": ("uq_refine_settled_subject", ["image_label_id", "shape_id", "property"])}


def upgrade() -> None:
    for table in ("refine_answer", "refine_settled"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("shape_id", sa.Integer(), server_default="0", nullable=False))
            batch.drop_constraint(OLD[table][0], type_="unique")
            batch.create_unique_constraint(*NEW[table])
    op.create_index("ix_refine_settled_shape_id", "refine_settled", ["shape_id"])


def downgrade() -> None:
    op.drop_index("ix_refine_settled_shape_id", table_name="refine_settled")
    op.execute("DELETE FROM refine_answer WHERE shape_id <> 0")
    op.execute("DELETE FROM refine_settled WHERE shape_id <> 0")
    for table in ("refine_answer", "refine_settled"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(NEW[table][0], type_="unique")
            batch.create_unique_constraint(*OLD[table])
            batch.drop_column("shape_id")
