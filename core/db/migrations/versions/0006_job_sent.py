"""job.sent_at and job.due_at: which queued jobs' messages were sent, and when a delayed one is due

Revision ID: c3d9a1f0e5b7
Revises: 3e8a4c6d2b19
Create Date: 2026-11-29 18:00:00
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.models.types


revision = 'c3d9a1f0e5b7'
down_revision = '3e8a4c6d2b19'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_at', imagemonkey.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('due_at', imagemonkey.models.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('due_at')
        batch_op.drop_column('sent_at')
