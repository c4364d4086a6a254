"""token.name, scopes, expires_at, last_used_at: named API tokens with scopes and an expiry

Revision ID: 9f2b6d4e8a31
Revises: 5b2e7d9c41a3
Create Date: 2026-12-06 04:50:00
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.models.types


revision = '9f2b6d4e8a31'
down_revision = '5b2e7d9c41a3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('scopes', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('expires_at', imagemonkey.models.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('last_used_at', imagemonkey.models.types.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('token', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scopes')
        batch_op.drop_column('name')
