"""image_label index on (label, image_id), as the model declares

0001 created ``ix_image_label_label_id`` on (label, id), which browsing by label
(join on label, order by image_id) cannot use for its order.

Revision ID: 5b0e2c7f9a13
Revises: a4d762e6ce32
Create Date: 2026-11-29 12:00:00.000000
"""
from alembic import op

revision = '5b0e2c7f9a13'
down_revision = 'a4d762e6ce32'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('image_label', schema=None) as batch_op:
        batch_op.drop_index('ix_image_label_label_id')
        batch_op.create_index('ix_image_label_label_image_id', ['label', 'image_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('image_label', schema=None) as batch_op:
        batch_op.drop_index('ix_image_label_label_image_id')
        batch_op.create_index('ix_image_label_label_id', ['label', 'id'], unique=False)
