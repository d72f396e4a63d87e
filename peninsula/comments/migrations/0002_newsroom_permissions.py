"""Editors and administrators moderate comments and set where comments are open."""

from django.db import migrations

EDITORS, ADMINISTRATORS = "编辑", "管理员"
GRANTS = {
    "comment": ("change", "delete", "view"),
    "categorycommentrule": ("add", "change", "delete", "view"),
    "articlecommentrule": ("add", "change", "delete", "view"),
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for model, actions in GRANTS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="comments", model=model)
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
        ("comments", "0001_comments"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
