"""datasets tables: releases, their files and images

Revision ID: 5d2a1e0c7b01
Revises: 
Create Date: 2026-12-06 04:10:00
"""
from alembic import op
import sqlalchemy as sa
import imagemonkey.plugin


revision = '5d2a1e0c7b01'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('datasets_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('query', sa.Text(), nullable=True),
    sa.Column('formats', sa.Text(), nullable=False),
    sa.Column('include_unverified', sa.Boolean(), nullable=False),
    sa.Column('license', sa.String(length=64), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=True),
    sa.Column('snapshot_key', sa.String(length=64), nullable=True),
    sa.Column('job_id', sa.String(length=64), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', imagemonkey.plugin.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['contributor.id'], name=op.f('fk_datasets_release_created_by_contributor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_id'], ['datasets_release.id'], name=op.f('fk_datasets_release_previous_id_datasets_release'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datasets_release')),
    sa.UniqueConstraint('version', 'revision', name='uq_datasets_release_version_revision'),
    info={'owner': 'datasets'}
    )
    op.create_index('ix_datasets_release_created_at_id', 'datasets_release', ['created_at', 'id'], unique=False)
    op.create_table('datasets_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('format', sa.String(length=32), nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.Column('blob_key', sa.String(length=64), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['datasets_release.id'], name=op.f('fk_datasets_file_release_id_datasets_release'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datasets_file')),
    sa.UniqueConstraint('release_id', 'name', name='uq_datasets_file_release_id_name'),
    info={'owner': 'datasets'}
    )
    op.create_index('ix_datasets_file_blob_key', 'datasets_file', ['blob_key'], unique=False)
    op.create_table('datasets_release_image',
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['datasets_release.id'], name=op.f('fk_datasets_release_image_release_id_datasets_release'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('release_id', 'image_id', name=op.f('pk_datasets_release_image')),
    info={'owner': 'datasets'}
    )
    op.create_index('ix_datasets_release_image_image_id', 'datasets_release_image', ['image_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_datasets_release_image_image_id', table_name='datasets_release_image')
    op.drop_table('datasets_release_image')
    op.drop_index('ix_datasets_file_blob_key', table_name='datasets_file')
    op.drop_table('datasets_file')
    op.drop_index('ix_datasets_release_created_at_id', table_name='datasets_release')
    op.drop_table('datasets_release')
