"""The database's own full-text structures over SearchDocument; see peninsula/search/backends.py."""

from django.db import migrations

SQLITE = [
    (
        "CREATE VIRTUAL TABLE search_fts USING fts5(title_tokens, body_tokens, "
        "content='search_searchdocument', content_rowid='article_id', tokenize='unicode61')",
        "DROP TABLE search_fts",
    ),
    (
        "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(rowid, title_tokens, body_tokens) "
        "VALUES (new.article_id, new.title_tokens, new.body_tokens); END",
        "DROP TRIGGER search_fts_insert",
    ),
    (
        "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens) "
        "VALUES ('delete', old.article_id, old.title_tokens, old.body_tokens); END",
        "DROP TRIGGER search_fts_delete",
    ),
    (
        "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens) "
        "VALUES ('delete', old.article_id, old.title_tokens, old.body_tokens); "
        "INSERT INTO search_fts(rowid, title_tokens, body_tokens) "
        "VALUES (new.article_id, new.title_tokens, new.body_tokens); END",
        "DROP TRIGGER search_fts_update",
    ),
    # Documents indexed before this migration (none on a fresh database) enter the FTS table.
    ("INSERT INTO search_fts(search_fts) VALUES ('rebuild')", None),
]

POSTGRESQL = [
    (
        "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') || "
        "setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')) STORED",
        "ALTER TABLE search_searchdocument DROP COLUMN search_vector",
    ),
    (
        "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
        "DROP INDEX search_document_vector",
    ),
]

STATEMENTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def create(apps, schema_editor):
    for forward, _backward in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(forward)


def drop(apps, schema_editor):
    for _forward, backward in reversed(STATEMENTS.get(schema_editor.connection.vendor, [])):
        if backward:
            schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
