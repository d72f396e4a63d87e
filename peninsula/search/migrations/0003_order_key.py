"""Key the index by publication order, so that searches walk it newest first and stop early.

`order_key` (see peninsula/search/models.py) is filled from the articles in SQL; the SQLite FTS5
table is rebuilt with it as rowid (its triggers are dropped first, because altering the column
rebuilds the content table), and PostgreSQL gains a title-only tsvector for the first tier.
"""

from importlib import import_module

from django.db import migrations, models

ID_BITS = 28
EARLIEST_SECOND = -2208988800  # 1900-01-01 UTC
LATEST_SECOND = 32503680000  # 3000-01-01 UTC

FILL = {
    "sqlite": (
        "UPDATE search_searchdocument SET order_key = ("
        "SELECT (CASE WHEN a.published_at IS NULL THEN {latest} ELSE "
        "max({earliest}, min({latest}, CAST(strftime('%s', a.published_at) AS INTEGER))) END)"
        " * {scale} + a.id FROM content_article a WHERE a.id = search_searchdocument.article_id)"
    ),
    "postgresql": (
        "UPDATE search_searchdocument d SET order_key = "
        "(CASE WHEN a.published_at IS NULL THEN {latest} ELSE "
        "greatest({earliest}, least({latest}, floor(extract(epoch FROM a.published_at))::bigint))"
        " END) * {scale} + a.id FROM content_article a WHERE a.id = d.article_id"
    ),
}

OLD_SQLITE_TRIGGERS = ["search_fts_insert", "search_fts_delete", "search_fts_update"]
FTS_COLUMNS = "rowid, title_tokens, body_tokens"
SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_tokens, body_tokens, "
    "content='search_searchdocument', content_rowid='order_key', tokenize='unicode61')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts({FTS_COLUMNS}) "
    "VALUES (new.order_key, new.title_tokens, new.body_tokens); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, {FTS_COLUMNS}) "
    "VALUES ('delete', old.order_key, old.title_tokens, old.body_tokens); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, {FTS_COLUMNS}) "
    "VALUES ('delete', old.order_key, old.title_tokens, old.body_tokens); "
    f"INSERT INTO search_fts({FTS_COLUMNS}) "
    "VALUES (new.order_key, new.title_tokens, new.body_tokens); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
]
POSTGRESQL = [
    "ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, title_tokens)) STORED",
    "CREATE INDEX search_document_title_vector ON search_searchdocument USING gin (title_vector)",
    # Walks test each row's tsvector: kept in the row (compressed) rather than out of line in
    # TOAST, it costs a decompression instead of an index lookup and a read per row.
    "ALTER TABLE search_searchdocument ALTER COLUMN search_vector SET STORAGE MAIN",
    # A search reads a page's worth of rows; starting parallel workers costs more than it saves.
    "ALTER TABLE search_searchdocument SET (parallel_workers = 0)",
    "ANALYZE search_searchdocument",
]
LZ4_AVAILABLE = (
    "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
)
LZ4 = "ALTER TABLE search_searchdocument ALTER COLUMN search_vector SET COMPRESSION lz4"


def drop_old_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in OLD_SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


def restore_old_fts(apps, schema_editor):
    import_module("peninsula.search.migrations.0002_fulltext").create(apps, schema_editor)


def fill_keys(apps, schema_editor):
    sql = FILL.get(schema_editor.connection.vendor)
    if sql:
        sql = sql.format(earliest=EARLIEST_SECOND, latest=LATEST_SECOND, scale=1 << ID_BITS)
        # No parameters, so the "%s" of strftime reaches SQLite as written.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def create_fts(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(LZ4_AVAILABLE)
            if cursor.fetchone()[0]:
                # Decompresses several times faster than the default pglz.
                cursor.execute(LZ4)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN title_vector")
    else:
        drop_old_fts(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext"), ("content", "0001_initial")]

    operations = [
        migrations.RunPython(drop_old_fts, restore_old_fts),
        migrations.AddField(
            model_name="searchdocument",
            name="order_key",
            field=models.BigIntegerField(null=True, verbose_name="order key"),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchdocument",
            name="order_key",
            field=models.BigIntegerField(unique=True, verbose_name="order key"),
        ),
        migrations.RunPython(create_fts, drop_fts),
    ]
