"""validate: votes remember a keyed hash of their address and when they were answered; established contributors anchor standing

Revision ID: 9b3e1f6a2c58
Revises: 5f0c2a9d7e41
Create Date: 2026-12-06 04:10:00.000000
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.plugin


revision = '9b3e1f6a2c58'
down_revision = '5f0c2a9d7e41'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('validate_vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_key', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('answered_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_validate_vote_address_key', ['address_key', 'contributor_id'], unique=False)
    op.create_table(
        'validate_established',
        sa.Column('contributor_id', sa.Integer(), nullable=False),
        sa.Column('established_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                                name=op.f('fk_validate_established_contributor_id_contributor'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('contributor_id', name=op.f('pk_validate_established')),
    )


def downgrade() -> None:
    op.drop_table('validate_established')
    with op.batch_alter_table('validate_vote', schema=None) as batch_op:
        batch_op.drop_index('ix_validate_vote_address_key')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('address_key')
