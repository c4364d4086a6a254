"""stat_label and stat_image_status counts per shard, like stat_daily, so concurrent donations share no row lock

Revision ID: 5111b5075d9b
Revises: b8a8b120afed
Create Date: 2026-12-06 19:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5111b5075d9b'
down_revision = 'b8a8b120afed'
branch_labels = None
depends_on = None

#: (table, key column, count column)
TABLES = [('stat_label', 'label', 'images'), ('stat_image_status', 'status', 'images')]


def upgrade() -> None:
    # the rows there are become shard 0
    for table, key, _ in TABLES:
        with op.batch_alter_table(table, recreate='always') as batch:
            batch.add_column(sa.Column('shard', sa.Integer(), server_default=sa.text('0'), nullable=False))
            batch.drop_constraint(f'pk_{table}', type_='primary')
            batch.create_primary_key(f'pk_{table}', [key, 'shard'])


def downgrade() -> None:
    # fold the shards back into one row per key
    for table, key, count in TABLES:
        op.execute(f"UPDATE {table} SET {count} = (SELECT sum(s.{count}) FROM {table} s WHERE s.{key} = {table}.{key}) "
                   f"WHERE shard = (SELECT min(s.shard) FROM {table} s WHERE s.{key} = {table}.{key})")
        op.execute(f"DELETE FROM {table} WHERE shard <> (SELECT min(s.shard) FROM {table} s "
                   f"WHERE s.{key} = {table}.{key})")
        with op.batch_alter_table(table, recreate='always') as batch:
            batch.drop_constraint(f'pk_{table}', type_='primary')
            batch.drop_column('shard')
            batch.create_primary_key(f'pk_{table}', [key])
