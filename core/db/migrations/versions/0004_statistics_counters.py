"""statistics counters (stat_daily, stat_active, stat_label, stat_image_status), filled from the existing rows

Revision ID: b7c1e2d3f4a5
Revises: 5b0e2c7d9a11
Create Date: 2026-11-29 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7c1e2d3f4a5'
down_revision = '5b0e2c7d9a11'
branch_labels = None
depends_on = None

DAY = "substr(CAST(created_at AS VARCHAR), 1, 10)"


def upgrade() -> None:
    op.create_table('stat_daily',
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'kind', name=op.f('pk_stat_daily'))
    )
    op.create_table('stat_active',
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'contributor_id', name=op.f('pk_stat_active'))
    )
    op.create_table('stat_label',
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('images', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('label', name=op.f('pk_stat_label'))
    )
    op.create_table('stat_image_status',
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('images', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('status', name=op.f('pk_stat_image_status'))
    )
    # one scan now, so that no request ever needs one
    op.execute(f"INSERT INTO stat_daily (day, kind, count) SELECT {DAY}, kind, count(*) FROM contribution "
               f"GROUP BY {DAY}, kind")
    op.execute(f"INSERT INTO stat_active (day, contributor_id) SELECT DISTINCT {DAY}, contributor_id FROM contribution")
    op.execute("INSERT INTO stat_daily (day, kind, count) SELECT day, 'contributor.active', count(*) FROM stat_active "
               "GROUP BY day")
    # labels count on public images only (what the public may see)
    op.execute("INSERT INTO stat_label (label, images) SELECT image_label.label, count(*) FROM image_label "
               "JOIN image ON image.id = image_label.image_id WHERE image.status = 'public' GROUP BY image_label.label")
    op.execute(f"INSERT INTO stat_daily (day, kind, count) SELECT {DAY}, 'image.public', count(*) FROM image "
               f"WHERE status = 'public' GROUP BY {DAY}")
    op.execute("INSERT INTO stat_image_status (status, images) SELECT status, count(*) FROM image GROUP BY status")


def downgrade() -> None:
    op.drop_table('stat_image_status')
    op.drop_table('stat_label')
    op.drop_table('stat_active')
    op.drop_table('stat_daily')
