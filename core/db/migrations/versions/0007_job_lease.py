"""job.attempts and job.lease_until: a running job's lease, renewed by its process, and its attempt count

A job left ``running`` by a process that died (before this revision nothing ever moved it) gets a
lease that has already ended, so the first consumer to look queues it again.

Revision ID: 5b2e7d9c41a3
Revises: c3d9a1f0e5b7
Create Date: 2026-12-06 04:30:00
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.models.types


revision = '5b2e7d9c41a3'
down_revision = 'c3d9a1f0e5b7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lease_until', imagemonkey.models.types.UTCDateTime(timezone=True),
                                      nullable=True))
    op.execute("UPDATE job SET attempts = 1, lease_until = started_at WHERE state = 'running'")


def downgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('lease_until')
        batch_op.drop_column('attempts')
