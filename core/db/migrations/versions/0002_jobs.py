"""background jobs

Revision ID: 5b1e0c7a9d42
Revises: a4d762e6ce32
Create Date: 2026-11-29 15:00:00
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.models.types


revision = '5b1e0c7a9d42'
down_revision = 'a4d762e6ce32'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('message', sa.String(length=512), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('enqueued_at', imagemonkey.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', imagemonkey.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', imagemonkey.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['contributor.id'], name=op.f('fk_job_created_by_contributor'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_created_by_id', ['created_by', 'id'], unique=False)
        batch_op.create_index('ix_job_name_id', ['name', 'id'], unique=False)
        batch_op.create_index('ix_job_state_id', ['state', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_state_id')
        batch_op.drop_index('ix_job_name_id')
        batch_op.drop_index('ix_job_created_by_id')
    op.drop_table('job')
