"""The slots the home page places (头条, 幻灯, 推荐, 滚动), and the right to fill them and build
topics for editors and administrators."""

from django.db import migrations

EDITORS, ADMINISTRATORS = "编辑", "管理员"
ACTIONS = ("add", "change", "delete", "view")
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
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="curation", model=model)
        for action in ACTIONS:
            permissions.append(
                Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )[0]
            )
    for group in Group.objects.filter(name__in=[EDITORS, ADMINISTRATORS]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0001_slots_and_topics"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
