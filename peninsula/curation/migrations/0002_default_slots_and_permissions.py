"""The slots the home page places (头条, 幻灯, 推荐, 滚动), and the right to fill them and build
topics for editors and administrators."""

from django.db import migrations

from peninsula.core.grants import ADMINISTRATORS, EDITORS, EVERY_ACTION, permissions_grant

MODELS = ("slot", "topic")
SLOTS = [
    # (key, name, kind, limit)
    ("lead", "头条", "lead", 1),
    ("carousel", "幻灯", "carousel", 6),
    ("recommended", "推荐", "list", 6),
    ("ticker", "滚动", "ticker", 10),
]


def create(apps, schema_editor):
    Slot = apps.get_model("curation", "Slot")
    for key, name, kind, limit in SLOTS:
        Slot.objects.get_or_create(key=key, defaults={"name": name, "kind": kind, "limit": limit})
    grants = {model: EVERY_ACTION for model in MODELS}
    permissions_grant(
        apps, app_label="curation", grants={EDITORS: grants, ADMINISTRATORS: grants}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0001_slots_and_topics"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
