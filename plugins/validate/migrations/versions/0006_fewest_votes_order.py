"""validate: an index on validate_subject (kind, vote_count, image_id, id) for browsing images fewest votes first

Revision ID: 4e8a2d6c0f13
Revises: b1c3f1b1428f
Create Date: 2026-12-06 21:50:00
"""
from alembic import op


revision = '4e8a2d6c0f13'
down_revision = 'b1c3f1b1428f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_validate_subject_kind_votes_image', 'validate_subject', ['kind', 'vote_count', 'image_id', 'id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_validate_subject_kind_votes_image', table_name='validate_subject')
