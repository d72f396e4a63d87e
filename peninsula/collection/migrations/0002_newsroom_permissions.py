"""Editors manage collected sources and read the poll log and duplicates; administrators too."""

from django.db import migrations

EDITORS, ADMINISTRATORS = "编辑", "管理员"
GRANTS = {
    "feed": ("add", "change", "delete", "view"),
    "poll": ("view",),
    "item": ("view",),
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for model, actions in GRANTS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="collection", model=model)
        for action in actions:
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
        ("collection", "0001_feeds"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
