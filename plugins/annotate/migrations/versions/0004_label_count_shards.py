"""annotate: annotate_label_count per shard (like core's stat_label), so concurrent outlines share no counter row lock

Revision ID: f477d5dcc433
Revises: d5e6f7a8b9c0
Create Date: 2026-12-06 19:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'f477d5dcc433'
down_revision = 'd5e6f7a8b9c0'
branch_labels = None
depends_on = None

TABLE = 'annotate_label_count'


def upgrade() -> None:
    # the rows there are become shard 0
    with op.batch_alter_table(TABLE, recreate='always') as batch:
        batch.add_column(sa.Column('shard', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch.drop_constraint(f'pk_{TABLE}', type_='primary')
        batch.create_primary_key(f'pk_{TABLE}', ['label', 'shard'])


def downgrade() -> None:
    # fold the shards back into one row per label
    first = f"(SELECT min(s.shard) FROM {TABLE} s WHERE s.label = {TABLE}.label)"
    op.execute(f"UPDATE {TABLE} SET outlined = (SELECT sum(s.outlined) FROM {TABLE} s WHERE s.label = {TABLE}.label) "
               f"WHERE shard = {first}")
    op.execute(f"DELETE FROM {TABLE} WHERE shard <> {first}")
    with op.batch_alter_table(TABLE, recreate='always') as batch:
        batch.drop_constraint(f'pk_{TABLE}', type_='primary')
        batch.drop_column('shard')
        batch.create_primary_key(f'pk_{TABLE}', ['label'])
