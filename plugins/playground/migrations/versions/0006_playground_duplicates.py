"""playground duplicates: near-duplicate clusters for moderators

Revision ID: 7668d8d9df19
Revises: dfec7b3e35c2
Create Date: 2026-12-06 21:28:53
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.plugin

revision = '7668d8d9df19'
down_revision = 'dfec7b3e35c2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('playground_duplicate_cluster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('backbone', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('kept_image_id', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['contributor.id'], name=op.f('fk_playground_duplicate_cluster_decided_by_contributor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['kept_image_id'], ['image.id'], name=op.f('fk_playground_duplicate_cluster_kept_image_id_image'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playground_duplicate_cluster')),
    info={'owner': 'playground'}
    )
    with op.batch_alter_table('playground_duplicate_cluster', schema=None) as batch_op:
        batch_op.create_index('ix_playground_duplicate_cluster_state_id', ['state', 'id'], unique=False)

    op.create_table('playground_duplicate_scan',
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('backbone', sa.String(length=64), nullable=False),
    sa.Column('scanned_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['image.id'], name=op.f('fk_playground_duplicate_scan_image_id_image'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('image_id', 'backbone', name=op.f('pk_playground_duplicate_scan')),
    info={'owner': 'playground'}
    )
    op.create_table('playground_duplicate_member',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('distance', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['playground_duplicate_cluster.id'], name=op.f('fk_playground_duplicate_member_cluster_id_playground_duplicate_cluster'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['image_id'], ['image.id'], name=op.f('fk_playground_duplicate_member_image_id_image'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id', 'image_id', name=op.f('pk_playground_duplicate_member')),
    info={'owner': 'playground'}
    )
    with op.batch_alter_table('playground_duplicate_member', schema=None) as batch_op:
        batch_op.create_index('ix_playground_duplicate_member_image_id', ['image_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('playground_duplicate_member', schema=None) as batch_op:
        batch_op.drop_index('ix_playground_duplicate_member_image_id')

    op.drop_table('playground_duplicate_member')
    op.drop_table('playground_duplicate_scan')
    with op.batch_alter_table('playground_duplicate_cluster', schema=None) as batch_op:
        batch_op.drop_index('ix_playground_duplicate_cluster_state_id')

    op.drop_table('playground_duplicate_cluster')
