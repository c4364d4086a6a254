"""revisions as lists of shape ids: annotate_shape holds each distinct shape of an annotation once

Revision ID: 9d3f1a6b2c47
Revises: c767d58f566c
Create Date: 2026-11-29 15:10:00
"""
import hashlib
import json

from alembic import op
import sqlalchemy as sa


revision = '9d3f1a6b2c47'
down_revision = 'c767d58f566c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('annotate_shape',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('annotation_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['annotation_id'], ['annotate_annotation.id'], name=op.f('fk_annotate_shape_annotation_id_annotate_annotation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotate_shape')),
    sa.UniqueConstraint('annotation_id', 'digest', name='uq_annotate_shape_annotation_id')
    )
    with op.batch_alter_table('annotate_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shape_ids', sa.Text(), nullable=True))
    bind = op.get_bind()
    shape = sa.table('annotate_shape', sa.column('id', sa.Integer), sa.column('annotation_id', sa.Integer),
                     sa.column('digest', sa.String), sa.column('data', sa.Text))
    revision_table = sa.table('annotate_revision', sa.column('id', sa.Integer), sa.column('annotation_id', sa.Integer),
                              sa.column('shapes', sa.Text), sa.column('shape_ids', sa.Text))
    known: dict[tuple[int, str], int] = {}
    rows = bind.execute(sa.select(revision_table.c.id, revision_table.c.annotation_id, revision_table.c.shapes)
                        .order_by(revision_table.c.id)).all()
    for revision_id, annotation_id, shapes in rows:
        ids = []
        for item in json.loads(shapes):
            text = json.dumps(item, separators=(",", ":"), sort_keys=True)
            key = (annotation_id, hashlib.sha256(text.encode()).hexdigest())
            if key not in known:
                known[key] = bind.execute(sa.insert(shape).values(annotation_id=annotation_id, digest=key[1], data=text)
                                          .returning(shape.c.id)).scalar_one()
            ids.append(known[key])
        bind.execute(sa.update(revision_table).where(revision_table.c.id == revision_id)
                     .values(shape_ids=json.dumps(ids)))
    with op.batch_alter_table('annotate_revision', schema=None) as batch_op:
        batch_op.alter_column('shape_ids', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('shapes')


def downgrade() -> None:
    with op.batch_alter_table('annotate_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shapes', sa.Text(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, shape_ids FROM annotate_revision")).all()
    for revision_id, shape_ids in rows:
        ids = json.loads(shape_ids)
        data = dict(bind.execute(sa.text("SELECT id, data FROM annotate_shape WHERE id IN :ids")
                                 .bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids or [0]}).all())
        shapes = "[" + ",".join(data[i] for i in ids) + "]"
        bind.execute(sa.text("UPDATE annotate_revision SET shapes = :s WHERE id = :i"), {"s": shapes, "i": revision_id})
    with op.batch_alter_table('annotate_revision', schema=None) as batch_op:
        batch_op.alter_column('shapes', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('shape_ids')
    op.drop_table('annotate_shape')
