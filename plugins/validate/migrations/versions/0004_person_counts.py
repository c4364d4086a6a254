"""validate: validate_person, each contributor's verified image labels (profiles), filled from the subjects

Revision ID: 1606f6863728
Revises: 9b3e1f6a2c58
Create Date: 2026-12-06 18:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '1606f6863728'
down_revision = '9b3e1f6a2c58'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'validate_person',
        sa.Column('contributor_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('verified_labels', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('contributor_id', name=op.f('pk_validate_person')),
    )
    op.execute("INSERT INTO validate_person (contributor_id, verified_labels) SELECT owner_id, count(*) "
               "FROM validate_subject WHERE kind = 'image_label' AND state = 'verified' AND owner_id IS NOT NULL "
               "GROUP BY owner_id")


def downgrade() -> None:
    op.drop_table('validate_person')
