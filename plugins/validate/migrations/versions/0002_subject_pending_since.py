"""validate: subjects remember votes waiting for settlement, votes whether they are counted

Revision ID: 5f0c2a9d7e41
Revises: c84526726346
Create Date: 2026-11-29 15:10:00.000000
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.plugin


revision = '5f0c2a9d7e41'
down_revision = 'c84526726346'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('validate_subject', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_since', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_validate_subject_pending_since', ['pending_since'], unique=False)
    with op.batch_alter_table('validate_vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counted', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('validate_vote', schema=None) as batch_op:
        batch_op.drop_column('counted')
    with op.batch_alter_table('validate_subject', schema=None) as batch_op:
        batch_op.drop_index('ix_validate_subject_pending_since')
        batch_op.drop_column('pending_since')
