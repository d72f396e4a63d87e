"""SQLite: the FTS5 table without its per-document sizes (`columnsize=0`).

FTS5 keeps each document's token count per column for bm25; ranking here is by tier and date
(docs/search.md), so nothing reads them, and every indexed article wrote one more row for
them. The table is recreated and rebuilt from the index rows, its triggers with it.
"""

from importlib import import_module

from django.db import migrations

ORDER_KEY = import_module("peninsula.search.migrations.0003_order_key")
SIZED = "tokenize='unicode61')"
UNSIZED = "tokenize='unicode61', columnsize=0)"


def recreate(schema_editor, create_table):
    for name in ORDER_KEY.OLD_SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(create_table)
    for statement in ORDER_KEY.SQLITE[1:]:
        schema_editor.execute(statement)


def without_sizes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        recreate(schema_editor, ORDER_KEY.SQLITE[0].replace(SIZED, UNSIZED))


def with_sizes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        recreate(schema_editor, ORDER_KEY.SQLITE[0])


class Migration(migrations.Migration):
    dependencies = [("search", "0004_titles_in_row")]

    operations = [migrations.RunPython(without_sizes, with_sizes)]
