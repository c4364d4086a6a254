"""stat_daily counts per shard (one per database connection), so concurrent writes of a kind share no row lock

Revision ID: 3e8a4c6d2b19
Revises: b7c1e2d3f4a5
Create Date: 2026-11-29 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3e8a4c6d2b19'
down_revision = 'b7c1e2d3f4a5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the rows there are become shard 0
    with op.batch_alter_table('stat_daily', recreate='always') as batch:
        batch.add_column(sa.Column('shard', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch.drop_constraint('pk_stat_daily', type_='primary')
        batch.create_primary_key('pk_stat_daily', ['day', 'kind', 'shard'])


def downgrade() -> None:
    # fold the shards back into one row per day and kind
    op.execute("UPDATE stat_daily SET count = (SELECT sum(s.count) FROM stat_daily s WHERE s.day = stat_daily.day "
               "AND s.kind = stat_daily.kind) WHERE shard = (SELECT min(s.shard) FROM stat_daily s "
               "WHERE s.day = stat_daily.day AND s.kind = stat_daily.kind)")
    op.execute("DELETE FROM stat_daily WHERE shard <> (SELECT min(s.shard) FROM stat_daily s "
               "WHERE s.day = stat_daily.day AND s.kind = stat_daily.kind)")
    with op.batch_alter_table('stat_daily', recreate='always') as batch:
        batch.drop_constraint('pk_stat_daily', type_='primary')
        batch.drop_column('shard')
        batch.create_primary_key('pk_stat_daily', ['day', 'kind'])
