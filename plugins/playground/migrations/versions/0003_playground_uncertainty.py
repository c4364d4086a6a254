"""playground uncertainty: active learning's scores

Revision ID: 7c41d2e9a0b3
Revises: 255ea19334ae
Create Date: 2026-12-06 18:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7c41d2e9a0b3'
down_revision = '255ea19334ae'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('playground_uncertainty',
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['image.id'], name=op.f('fk_playground_uncertainty_image_id_image'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['model_id'], ['playground_model.id'], name=op.f('fk_playground_uncertainty_model_id_playground_model'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('image_id', name=op.f('pk_playground_uncertainty')),
    info={'owner': 'playground'}
    )
    with op.batch_alter_table('playground_uncertainty', schema=None) as batch_op:
        batch_op.create_index('ix_playground_uncertainty_score', ['score'], unique=False)
        batch_op.create_index(batch_op.f('ix_playground_uncertainty_model_id'), ['model_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('playground_uncertainty', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_playground_uncertainty_model_id'))
        batch_op.drop_index('ix_playground_uncertainty_score')
    op.drop_table('playground_uncertainty')
