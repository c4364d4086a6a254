"""validate: validate_label_count and validate_daily_votes per shard (like core's stat_label), so concurrent votes
share no counter row lock

Revision ID: b1c3f1b1428f
Revises: 1606f6863728
Create Date: 2026-12-06 19:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b1c3f1b1428f'
down_revision = '1606f6863728'
branch_labels = None
depends_on = None

#: (table, key column, count columns)
TABLES = [('validate_label_count', 'label', ['unverified', 'verified', 'rejected', 'contested', 'total']),
          ('validate_daily_votes', 'day', ['votes'])]


def upgrade() -> None:
    # the rows there are become shard 0; readers sum per label, so the index on one row's total goes
    with op.batch_alter_table('validate_label_count') as batch:
        batch.drop_index('ix_validate_label_count_total')
    for table, key, _ in TABLES:
        with op.batch_alter_table(table, recreate='always') as batch:
            batch.add_column(sa.Column('shard', sa.Integer(), server_default=sa.text('0'), nullable=False))
            batch.drop_constraint(f'pk_{table}', type_='primary')
            batch.create_primary_key(f'pk_{table}', [key, 'shard'])


def downgrade() -> None:
    # fold the shards back into one row per key
    for table, key, counts in TABLES:
        first = f"(SELECT min(s.shard) FROM {table} s WHERE s.{key} = {table}.{key})"
        sums = ", ".join(f"{count} = (SELECT sum(s.{count}) FROM {table} s WHERE s.{key} = {table}.{key})"
                         for count in counts)
        op.execute(f"UPDATE {table} SET {sums} WHERE shard = {first}")
        op.execute(f"DELETE FROM {table} WHERE shard <> {first}")
        with op.batch_alter_table(table, recreate='always') as batch:
            batch.drop_constraint(f'pk_{table}', type_='primary')
            batch.drop_column('shard')
            batch.create_primary_key(f'pk_{table}', [key])
    with op.batch_alter_table('validate_label_count') as batch:
        batch.create_index('ix_validate_label_count_total', ['total'], unique=False)
