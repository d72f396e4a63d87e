"""Administrators keep the word lists and the protection switches; editors read the lists."""

from django.db import migrations

from peninsula.core.grants import ADMINISTRATORS, EDITORS, permissions_grant

GRANTS = {
    ADMINISTRATORS: {
        "sensitiveword": ("add", "change", "delete", "view"),
        "screeningsettings": ("change",),
    },
    EDITORS: {"sensitiveword": ("view",)},
}


def grant(apps, schema_editor):
    permissions_grant(apps, app_label="screening", grants=GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0001_sensitive_words_and_protection"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
