"""Editors and administrators read who sent a story; administrators set where stories land."""

from django.db import migrations

from peninsula.core.grants import ADMINISTRATORS, EDITORS, permissions_grant

GRANTS = {
    ADMINISTRATORS: {"submission": ("view",), "submissionsettings": ("change",)},
    EDITORS: {"submission": ("view",)},
}


def grant(apps, schema_editor):
    permissions_grant(apps, app_label="submissions", grants=GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_reader_submissions"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
