"""person_daily, person_total, person_week, person_kind_week, person_label, person_label_week, contribution.label,
contributor.public_profile and top_list: profiles from counters

Revision ID: b8a8b120afed
Revises: 9f2b6d4e8a31
Create Date: 2026-12-06 18:30:00
"""
from collections import Counter
from datetime import date, timedelta

from alembic import op
import sqlalchemy as sa


revision = 'b8a8b120afed'
down_revision = '9f2b6d4e8a31'
branch_labels = None
depends_on = None

DAY = "substr(CAST(created_at AS VARCHAR), 1, 10)"


def _monday(day: str) -> str:
    moment = date.fromisoformat(day)
    return (moment - timedelta(days=moment.weekday())).isoformat()


def upgrade() -> None:
    with op.batch_alter_table('contributor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_profile', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('top_list', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label', sa.String(length=128), nullable=True))
    op.create_table('person_kind_week',
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                            name=op.f('fk_person_kind_week_contributor_id_contributor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contributor_id', 'week', 'kind', name=op.f('pk_person_kind_week'))
    )
    with op.batch_alter_table('person_kind_week', schema=None) as batch_op:
        batch_op.create_index('ix_person_kind_week_week_kind_count', ['week', 'kind', 'count'], unique=False)
    op.create_table('person_label',
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                            name=op.f('fk_person_label_contributor_id_contributor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contributor_id', 'label', name=op.f('pk_person_label'))
    )
    with op.batch_alter_table('person_label', schema=None) as batch_op:
        batch_op.create_index('ix_person_label_contributor_id_count', ['contributor_id', 'count'], unique=False)
    op.create_table('person_label_week',
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                            name=op.f('fk_person_label_week_contributor_id_contributor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contributor_id', 'week', 'label', name=op.f('pk_person_label_week'))
    )
    with op.batch_alter_table('person_label_week', schema=None) as batch_op:
        batch_op.create_index('ix_person_label_week_week_label_count', ['week', 'label', 'count'], unique=False)
    op.create_table('person_daily',
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                            name=op.f('fk_person_daily_contributor_id_contributor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contributor_id', 'day', 'kind', name=op.f('pk_person_daily'))
    )
    op.create_table('person_total',
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                            name=op.f('fk_person_total_contributor_id_contributor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contributor_id', 'kind', name=op.f('pk_person_total'))
    )
    op.create_table('person_week',
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                            name=op.f('fk_person_week_contributor_id_contributor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('week', 'contributor_id', name=op.f('pk_person_week'))
    )
    with op.batch_alter_table('person_week', schema=None) as batch_op:
        batch_op.create_index('ix_person_week_week_count', ['week', 'count'], unique=False)
    # one scan now, so that no request ever needs one (earlier log entries name no label: nothing per label)
    op.execute(f"INSERT INTO person_daily (contributor_id, day, kind, count) SELECT contributor_id, {DAY}, kind, "
               f"count(*) FROM contribution GROUP BY contributor_id, {DAY}, kind")
    op.execute("INSERT INTO person_total (contributor_id, kind, count) SELECT contributor_id, kind, sum(count) "
               "FROM person_daily GROUP BY contributor_id, kind")
    weeks: Counter[tuple[str, int]] = Counter()
    kind_weeks: Counter[tuple[int, str, str]] = Counter()
    for contributor_id, day, kind, count in op.get_bind().execute(sa.text(
            "SELECT contributor_id, day, kind, count FROM person_daily")):
        weeks[(_monday(day), contributor_id)] += int(count)
        kind_weeks[(contributor_id, _monday(day), kind)] += int(count)
    if weeks:
        table = sa.table('person_week', sa.column('week'), sa.column('contributor_id'), sa.column('count'))
        op.bulk_insert(table, [{"week": week, "contributor_id": contributor_id, "count": count}
                               for (week, contributor_id), count in weeks.items()])
        table = sa.table('person_kind_week', sa.column('contributor_id'), sa.column('week'), sa.column('kind'),
                         sa.column('count'))
        op.bulk_insert(table, [{"contributor_id": contributor_id, "week": week, "kind": kind, "count": count}
                               for (contributor_id, week, kind), count in kind_weeks.items()])


def downgrade() -> None:
    with op.batch_alter_table('person_label_week', schema=None) as batch_op:
        batch_op.drop_index('ix_person_label_week_week_label_count')
    op.drop_table('person_label_week')
    with op.batch_alter_table('person_label', schema=None) as batch_op:
        batch_op.drop_index('ix_person_label_contributor_id_count')
    op.drop_table('person_label')
    with op.batch_alter_table('person_kind_week', schema=None) as batch_op:
        batch_op.drop_index('ix_person_kind_week_week_kind_count')
    op.drop_table('person_kind_week')
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_column('label')
    with op.batch_alter_table('person_week', schema=None) as batch_op:
        batch_op.drop_index('ix_person_week_week_count')
    op.drop_table('person_week')
    op.drop_table('person_total')
    op.drop_table('person_daily')
    with op.batch_alter_table('contributor', schema=None) as batch_op:
        batch_op.drop_column('top_list')
        batch_op.drop_column('public_profile')
