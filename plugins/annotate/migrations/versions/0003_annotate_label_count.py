"""outlined image labels per label (annotate_label_count), filled from the existing annotations

Revision ID: d5e6f7a8b9c0
Revises: 9d3f1a6b2c47
Create Date: 2026-11-29 15:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd5e6f7a8b9c0'
down_revision = '9d3f1a6b2c47'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('annotate_label_count',
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('outlined', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('label', name=op.f('pk_annotate_label_count'))
    )
    # outlines of public images only (what the public may see)
    op.execute("INSERT INTO annotate_label_count (label, outlined) SELECT a.label, count(*) FROM annotate_annotation a "
               "JOIN image ON image.id = a.image_id WHERE a.shape_count > 0 AND image.status = 'public' GROUP BY a.label")
    day = "substr(CAST(r.created_at AS VARCHAR), 1, 10)"
    for kind, amount in (("annotate.public_revisions", "count(*)"), ("annotate.public_shapes", "sum(r.shape_count)")):
        op.execute(f"INSERT INTO stat_daily (day, kind, count) SELECT {day}, '{kind}', {amount} FROM annotate_revision r "
                   f"JOIN annotate_annotation a ON a.id = r.annotation_id JOIN image ON image.id = a.image_id "
                   f"WHERE image.status = 'public' GROUP BY {day}")


def downgrade() -> None:
    op.drop_table('annotate_label_count')
