"""promoted_label: suggestions moderators promoted into the catalog, with their parent

Revision ID: 23f7c8240158
Revises: aa23c124e57a
Create Date: 2026-12-06 19:45:00
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.models.types


revision = '23f7c8240158'
down_revision = 'aa23c124e57a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'promoted_label',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=128), nullable=False),
        sa.Column('is_a', sa.String(length=128), nullable=False),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('plural', sa.String(length=128), nullable=False),
        sa.Column('contributor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', imagemonkey.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                                name=op.f('fk_promoted_label_contributor_id_contributor'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_promoted_label')),
        sa.UniqueConstraint('name', name=op.f('uq_promoted_label_name')),
    )


def downgrade() -> None:
    op.drop_table('promoted_label')
