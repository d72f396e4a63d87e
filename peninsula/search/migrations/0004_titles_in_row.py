"""Keep the title columns in the row on PostgreSQL, so that testing a row's title is cheap.

With the default storage, a row whose compressed `search_vector` (kept in the row, see 0003)
fills most of the 2 kB that PostgreSQL aims a row at had its small title columns moved out to
the TOAST table as well, and every title test in a walk cost an extra index lookup and read:
five times the cost of testing the whole-document vector. MAIN storage keeps them in the row
unless the row would not fit a page. The table is rewritten once so that existing rows follow.
"""

from django.db import migrations

COLUMNS = ("title_tokens", "title_vector")


def set_storage(schema_editor, storage):
    columns = ", ".join(f"ALTER COLUMN {column} SET STORAGE {storage}" for column in COLUMNS)
    schema_editor.execute(f"ALTER TABLE search_searchdocument {columns}")


def titles_in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    set_storage(schema_editor, "MAIN")
    # Storage settings apply to rows as they are written: rewrite the existing ones, then set
    # the visibility map (index-only scans) and statistics that the rewrite leaves empty.
    schema_editor.execute("VACUUM FULL search_searchdocument")
    schema_editor.execute("VACUUM ANALYZE search_searchdocument")


def titles_out_of_row(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        set_storage(schema_editor, "EXTENDED")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [("search", "0003_order_key")]

    operations = [migrations.RunPython(titles_in_row, titles_out_of_row)]
