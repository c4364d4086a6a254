"""captions' full-text search keyed by image, so that a caption phrase can drive a query newest first

SQLite: ``caption_fts`` becomes one FTS5 document per image (rowid = image id), its captions joined by the token
``_`` (a token character here, and replaced by a space inside captions) so that a phrase cannot span two captions;
FTS5 then reads matches in image id order and stops after a page. PostgreSQL: ``caption_word`` holds each caption's
words (its ``simple`` lexemes) under ``(word, image_id, caption_id)``, kept by a trigger, so that one word's range
drives the query in image id order; the GIN index stays for captions inside OR and NOT.

Revision ID: 6c1d0e4a9b27
Revises: 23f7c8240158
Create Date: 2026-12-06 21:30:00
"""
from alembic import op


revision = '6c1d0e4a9b27'
down_revision = '23f7c8240158'
branch_labels = None
depends_on = None

#: the image's document: its captions, underscores made spaces, joined by " _ " (no document without captions)
SQLITE_REBUILD = (
    "DELETE FROM caption_fts WHERE rowid = {image}; "
    "INSERT INTO caption_fts (rowid, text) SELECT image_id, group_concat(replace(text, '_', ' '), ' _ ') "
    "FROM caption WHERE image_id = {image} GROUP BY image_id;")
SQLITE_UP = [
    "DROP TRIGGER caption_fts_insert",
    "DROP TRIGGER caption_fts_delete",
    "DROP TRIGGER caption_fts_update",
    "DROP TABLE caption_fts",
    "CREATE VIRTUAL TABLE caption_fts USING fts5(text, tokenize=\"unicode61 tokenchars '_'\")",
    "CREATE TRIGGER caption_fts_insert AFTER INSERT ON caption BEGIN "
    + SQLITE_REBUILD.format(image="new.image_id") + " END",
    "CREATE TRIGGER caption_fts_delete AFTER DELETE ON caption BEGIN "
    + SQLITE_REBUILD.format(image="old.image_id") + " END",
    "CREATE TRIGGER caption_fts_update AFTER UPDATE OF text, image_id ON caption BEGIN "
    + SQLITE_REBUILD.format(image="old.image_id") + " " + SQLITE_REBUILD.format(image="new.image_id") + " END",
    "INSERT INTO caption_fts (rowid, text) SELECT image_id, group_concat(replace(text, '_', ' '), ' _ ') "
    "FROM caption GROUP BY image_id",
]
SQLITE_DOWN = [
    "DROP TRIGGER caption_fts_insert",
    "DROP TRIGGER caption_fts_delete",
    "DROP TRIGGER caption_fts_update",
    "DROP TABLE caption_fts",
    "CREATE VIRTUAL TABLE caption_fts USING fts5(text, content='caption', content_rowid='id')",
    "CREATE TRIGGER caption_fts_insert AFTER INSERT ON caption BEGIN "
    "INSERT INTO caption_fts (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER caption_fts_delete AFTER DELETE ON caption BEGIN "
    "INSERT INTO caption_fts (caption_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER caption_fts_update AFTER UPDATE OF text ON caption BEGIN "
    "INSERT INTO caption_fts (caption_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO caption_fts (rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO caption_fts (caption_fts) VALUES ('rebuild')",
]
POSTGRES_WORDS = ("INSERT INTO caption_word (word, image_id, caption_id) "
                  "SELECT word, {caption}.image_id, {caption}.id "
                  "FROM unnest(tsvector_to_array(to_tsvector('simple', {caption}.text))) AS word")
POSTGRES_UP = [
    "CREATE TABLE caption_word (word text NOT NULL, image_id integer NOT NULL, "
    "caption_id integer NOT NULL REFERENCES caption (id) ON DELETE CASCADE, "
    "CONSTRAINT caption_word_pkey PRIMARY KEY (word, image_id, caption_id))",
    "CREATE INDEX caption_word_caption_id ON caption_word (caption_id)",
    "CREATE FUNCTION caption_word_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' THEN DELETE FROM caption_word WHERE caption_id = OLD.id; END IF; "
    + POSTGRES_WORDS.format(caption="NEW") + "; RETURN NULL; END $$",
    "CREATE TRIGGER caption_word_keep AFTER INSERT OR UPDATE OF text, image_id ON caption "
    "FOR EACH ROW EXECUTE FUNCTION caption_word_keep()",
    POSTGRES_WORDS.format(caption="caption").replace("FROM unnest", "FROM caption, unnest"),
]
POSTGRES_DOWN = [
    "DROP TRIGGER caption_word_keep ON caption",
    "DROP FUNCTION caption_word_keep()",
    "DROP TABLE caption_word",
]


def upgrade() -> None:
    for statement in POSTGRES_UP if op.get_bind().dialect.name == 'postgresql' else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRES_DOWN if op.get_bind().dialect.name == 'postgresql' else SQLITE_DOWN:
        op.execute(statement)
