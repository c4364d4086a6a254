"""phash band indexes cover the hash

Each ix_image_phash_bN becomes (phash_bN, phash): a near-duplicate lookup reads its candidates'
hashes from the index instead of one table row per candidate (about 1,000 rows per lookup at a
million images).

Revision ID: 5c1e2b9d7f03
Revises: 5b0e2c7f9a13
Create Date: 2026-11-29 01:40:00.000000
"""
from alembic import op

revision = '5c1e2b9d7f03'
down_revision = '5b0e2c7f9a13'
branch_labels = None
depends_on = None

BANDS = range(4)


def upgrade() -> None:
    for i in BANDS:
        op.drop_index(f'ix_image_phash_b{i}', table_name='image')
        op.create_index(f'ix_image_phash_b{i}', 'image', [f'phash_b{i}', 'phash'], unique=False)


def downgrade() -> None:
    for i in BANDS:
        op.drop_index(f'ix_image_phash_b{i}', table_name='image')
        op.create_index(f'ix_image_phash_b{i}', 'image', [f'phash_b{i}'], unique=False)
