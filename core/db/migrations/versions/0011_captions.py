"""caption, caption_vote and the captions' full-text search (FTS5 on SQLite, a GIN tsvector index on PostgreSQL)

Revision ID: aa23c124e57a
Revises: 5111b5075d9b
Create Date: 2026-12-06 19:10:00
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.models.types


revision = 'aa23c124e57a'
down_revision = '5111b5075d9b'
branch_labels = None
depends_on = None

SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE caption_fts USING fts5(text, content='caption', content_rowid='id')",
    "CREATE TRIGGER caption_fts_insert AFTER INSERT ON caption BEGIN "
    "INSERT INTO caption_fts (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER caption_fts_delete AFTER DELETE ON caption BEGIN "
    "INSERT INTO caption_fts (caption_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER caption_fts_update AFTER UPDATE OF text ON caption BEGIN "
    "INSERT INTO caption_fts (caption_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO caption_fts (rowid, text) VALUES (new.id, new.text); END",
]


def upgrade() -> None:
    op.create_table(
        'caption',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('image_id', sa.Integer(), nullable=False),
        sa.Column('contributor_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=35), nullable=False),
        sa.Column('up', sa.Integer(), nullable=False),
        sa.Column('down', sa.Integer(), nullable=False),
        sa.Column('locked', sa.Boolean(), nullable=False),
        sa.Column('created_at', imagemonkey.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'], name=op.f('fk_caption_contributor_id_contributor'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['image_id'], ['image.id'], name=op.f('fk_caption_image_id_image'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_caption')),
    )
    op.create_index('ix_caption_image_id_id', 'caption', ['image_id', 'id'], unique=False)
    op.create_index(op.f('ix_caption_contributor_id'), 'caption', ['contributor_id'], unique=False)
    op.create_table(
        'caption_vote',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('caption_id', sa.Integer(), nullable=False),
        sa.Column('contributor_id', sa.Integer(), nullable=False),
        sa.Column('vote', sa.SmallInteger(), nullable=False),
        sa.Column('created_at', imagemonkey.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['caption_id'], ['caption.id'], name=op.f('fk_caption_vote_caption_id_caption'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'],
                                name=op.f('fk_caption_vote_contributor_id_contributor'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_caption_vote')),
        sa.UniqueConstraint('caption_id', 'contributor_id', name='uq_caption_vote_caption_id_contributor_id'),
    )
    op.create_index(op.f('ix_caption_vote_contributor_id'), 'caption_vote', ['contributor_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_caption_text_search ON caption USING gin (to_tsvector('simple', text))")
    else:
        for statement in SQLITE_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX ix_caption_text_search")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER caption_fts_{trigger}")
        op.execute("DROP TABLE caption_fts")
    op.drop_index(op.f('ix_caption_vote_contributor_id'), table_name='caption_vote')
    op.drop_table('caption_vote')
    op.drop_index(op.f('ix_caption_contributor_id'), table_name='caption')
    op.drop_index('ix_caption_image_id_id', table_name='caption')
    op.drop_table('caption')
