"""playground uncertainty cold start: model_id nullable (the cold-start order's rows, before any active model, have
none)

Revision ID: 54509ce22aea
Revises: 7c855a750758
Create Date: 2026-12-07 00:54:07
"""
from alembic import op
import sqlalchemy as sa


revision = '54509ce22aea'
down_revision = '7c855a750758'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('playground_uncertainty', schema=None) as batch_op:
        batch_op.alter_column('model_id', existing_type=sa.INTEGER(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM playground_uncertainty WHERE model_id IS NULL")
    with op.batch_alter_table('playground_uncertainty', schema=None) as batch_op:
        batch_op.alter_column('model_id', existing_type=sa.INTEGER(), nullable=False)
