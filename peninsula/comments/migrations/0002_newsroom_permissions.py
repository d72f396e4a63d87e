"""Editors and administrators moderate comments and set where comments are open."""

from django.db import migrations

from peninsula.core.grants import ADMINISTRATORS, EDITORS, permissions_grant

GRANTS = {
    "comment": ("change", "delete", "view"),
    "categorycommentrule": ("add", "change", "delete", "view"),
    "articlecommentrule": ("add", "change", "delete", "view"),
}


def grant(apps, schema_editor):
    permissions_grant(
        apps, app_label="comments", grants={EDITORS: GRANTS, ADMINISTRATORS: GRANTS}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_comments"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
