"""playground similar index: the similar-pictures index published to object storage (its segments' blobs), per backbone

Revision ID: 7c855a750758
Revises: 7668d8d9df19
Create Date: 2026-12-07 00:51:38
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.plugin

revision = '7c855a750758'
down_revision = '7668d8d9df19'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('playground_similar_index',
    sa.Column('backbone', sa.String(length=64), nullable=False),
    sa.Column('blob_keys', sa.Text(), nullable=False),
    sa.Column('watermark', sa.String(length=40), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('updated_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('backbone', name=op.f('pk_playground_similar_index')),
    info={'owner': 'playground'}
    )


def downgrade() -> None:
    op.drop_table('playground_similar_index')
