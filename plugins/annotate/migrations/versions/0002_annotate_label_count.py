"""outlined image labels per label (annotate_label_count), filled from the existing annotations

Revision ID: d5e6f7a8b9c0
Revises: c767d58f566c
Create Date: 2026-11-29 15:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd5e6f7a8b9c0'
down_revision = 'c767d58f566c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('annotate_label_count',
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('outlined', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('label', name=op.f('pk_annotate_label_count'))
    )
    op.execute("INSERT INTO annotate_label_count (label, outlined) SELECT label, count(*) FROM annotate_annotation "
               "WHERE shape_count > 0 GROUP BY label")


def downgrade() -> None:
    op.drop_table('annotate_label_count')
