"""playground spread: look-alike questions from verified labels

Revision ID: dfec7b3e35c2
Revises: e0d51a35cc5b
Create Date: 2026-12-06 19:40:00
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.plugin


revision = 'dfec7b3e35c2'
down_revision = 'e0d51a35cc5b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('playground_spread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('source_image_id', sa.Integer(), nullable=True),
    sa.Column('distance', sa.Float(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('created_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['image.id'], name=op.f('fk_playground_spread_image_id_image'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_image_id'], ['image.id'], name=op.f('fk_playground_spread_source_image_id_image'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playground_spread')),
    sa.UniqueConstraint('image_id', 'label', name='uq_playground_spread_image_id'),
    info={'owner': 'playground'}
    )
    with op.batch_alter_table('playground_spread', schema=None) as batch_op:
        batch_op.create_index('ix_playground_spread_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_playground_spread_source_image_id'), ['source_image_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('playground_spread', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_playground_spread_source_image_id'))
        batch_op.drop_index('ix_playground_spread_created_at')
    op.drop_table('playground_spread')
