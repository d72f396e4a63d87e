"""Wagtail's default roles are for its page tree, which Peninsula does not use: the groups
"Editors" and "Moderators" and the workflow "Moderators approval" showed English names beside
the newsroom's 作者, 编辑, 管理员 and 审核 (docs/newsroom.md). Unused ones go; used ones get
Chinese names, so no one's rights change."""

from django.db import migrations

GROUPS = {"Editors": "页面编辑", "Moderators": "页面审核"}
WORKFLOW = "Moderators approval"


def drop_page_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")

    for workflow in Workflow.objects.filter(name=WORKFLOW):
        if WorkflowState.objects.filter(workflow=workflow).exists():
            workflow.name = "页面审核"
            workflow.save(update_fields=["name"])
        else:
            workflow.delete()
    for task in Task.objects.filter(name=WORKFLOW):
        if TaskState.objects.filter(task=task).exists():
            task.name = "页面审核"
            task.save(update_fields=["name"])
        else:
            task.delete()
    for group in Group.objects.filter(name__in=GROUPS):
        if group.user_set.exists():
            group.name = GROUPS[group.name]
            group.save(update_fields=["name"])
        else:
            group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(drop_page_roles, migrations.RunPython.noop)]
