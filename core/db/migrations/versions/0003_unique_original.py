"""one image row per stored original: a unique index on image.original_key (sha256 of the stored original)

Revision ID: 5b0e2c7d9a11
Revises: 5b1e0c7a9d42
Create Date: 2026-11-29 15:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5b0e2c7d9a11'
down_revision = '5b1e0c7a9d42'
branch_labels = None
depends_on = None


def upgrade() -> None:
    duplicates = op.get_bind().execute(sa.text(
        "SELECT original_key, COUNT(*) FROM image GROUP BY original_key HAVING COUNT(*) > 1 LIMIT 5")).all()
    if duplicates:
        raise RuntimeError(
            "Several image rows share a stored original (left by concurrent donations before this version): "
            + ", ".join(f"{key} ({count} rows)" for key, count in duplicates)
            + ". Keep one row per original_key (moving its labels), then run the upgrade again.")
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_image_original_key'))
        batch_op.create_index(batch_op.f('ix_image_original_key'), ['original_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_image_original_key'))
        batch_op.create_index(batch_op.f('ix_image_original_key'), ['original_key'], unique=False)
