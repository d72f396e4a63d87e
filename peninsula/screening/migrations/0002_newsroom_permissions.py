"""Administrators keep the word lists and the protection switches; editors read the lists."""

from django.db import migrations

EDITORS, ADMINISTRATORS = "编辑", "管理员"
GRANTS = {
    ADMINISTRATORS: {
        "sensitiveword": ("add", "change", "delete", "view"),
        "screeningsettings": ("change",),
    },
    EDITORS: {"sensitiveword": ("view",)},
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for group_name, models in GRANTS.items():
        permissions = []
        for model, actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(app_label="screening", model=model)
            for action in actions:
                permissions.append(
                    Permission.objects.get_or_create(
                        content_type=content_type,
                        codename=f"{action}_{model}",
                        defaults={"name": f"Can {action} {model}"},
                    )[0]
                )
        for group in Group.objects.filter(name=group_name):
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0001_sensitive_words_and_protection"),
        ("content", "0002_newsroom_roles_and_review"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
