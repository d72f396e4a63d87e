"""Editors manage collected sources and read the poll log and duplicates; administrators too."""

from django.db import migrations

from peninsula.core.grants import ADMINISTRATORS, EDITORS, permissions_grant

GRANTS = {
    "feed": ("add", "change", "delete", "view"),
    "poll": ("view",),
    "item": ("view",),
}


def grant(apps, schema_editor):
    permissions_grant(
        apps, app_label="collection", grants={EDITORS: GRANTS, ADMINISTRATORS: GRANTS}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0001_feeds"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
