"""playground embedding index by time: the similar-pictures index reads new embeddings in (created_at, image_id)
order per backbone

Revision ID: e0d51a35cc5b
Revises: 7c41d2e9a0b3
Create Date: 2026-12-06 18:40:00
"""
from alembic import op


revision = 'e0d51a35cc5b'
down_revision = '7c41d2e9a0b3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_playground_embedding_backbone_created_at', 'playground_embedding',
                    ['backbone', 'created_at', 'image_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_playground_embedding_backbone_created_at', table_name='playground_embedding')
