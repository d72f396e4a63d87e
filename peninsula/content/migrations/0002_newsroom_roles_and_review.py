"""The newsroom's roles (作者, 编辑, 管理员) and the 审核 review workflow for articles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHORS, EDITORS, ADMINISTRATORS = "作者", "编辑", "管理员"
WORKFLOW, TASK = "审核", "编辑审核"

CONTENT_MODELS = ("category", "author", "source")

ROLE_PERMISSIONS = {
    # Own articles only (ArticlePermissionPolicy): write, preview, submit for review.
    AUTHORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("content", "article", "add_article"),
        ("content", "category", "view_category"),
        ("content", "author", "view_author"),
        ("content", "source", "view_source"),
    ],
    EDITORS: [
        ("wagtailadmin", "admin", "access_admin"),
        *[
            ("content", "article", f"{action}_article")
            for action in ("add", "change", "delete", "view", "publish", "lock", "unlock")
        ],
        *[
            ("content", model, f"{action}_{model}")
            for model in CONTENT_MODELS
            for action in ("add", "change", "delete", "view")
        ],
        *[("taggit", "tag", f"{action}_tag") for action in ("add", "change", "delete", "view")],
    ],
}
# Image and document rights are given on the root collection, as Wagtail checks them there.
COLLECTION_PERMISSIONS = {
    AUTHORS: [("wagtailimages", "image", ("add", "choose"))],
    EDITORS: [
        ("wagtailimages", "image", ("add", "change", "delete", "choose")),
        ("wagtaildocs", "document", ("add", "change", "delete", "choose")),
    ],
}
# Administrators hold every permission of these apps: content, users, site settings, workflows.
ADMINISTRATOR_APPS = (
    "content",
    "core",
    "auth",
    "taggit",
    "wagtailcore",
    "wagtailadmin",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "wagtailforms",
    "wagtailusers",
    "wagtailembeds",
    "wagtailsearch",
)


def ensure_permissions(apps):
    """Permissions are normally made after migrating; the groups need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    article = ContentType.objects.get_for_model(apps.get_model("content", "Article"))
    for action in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=article,
            codename=f"{action}_article",
            defaults={"name": f"Can {action} article"},
        )


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return perm


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (AUTHORS, EDITORS)}
    for name, perms in ROLE_PERMISSIONS.items():
        groups[name].permissions.add(*[permission(apps, *p) for p in perms])

    root = Collection.objects.filter(depth=1).order_by("path").first()
    for name, grants in COLLECTION_PERMISSIONS.items():
        for app_label, model, actions in grants:
            for action in actions:
                if root is None:
                    continue
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root,
                    permission=permission(apps, app_label, model, f"{action}_{model}"),
                )

    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    administrators.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
    )
    if root is not None:
        for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in ("add", "change", "delete", "choose"):
                GroupCollectionPermission.objects.get_or_create(
                    group=administrators,
                    collection=root,
                    permission=permission(apps, app_label, model, f"{action}_{model}"),
                )

    create_review_workflow(apps, groups[EDITORS])


def create_review_workflow(apps, editors):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task_type = ContentType.objects.get_for_model(GroupApprovalTask)
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK, defaults={"content_type": task_type, "active": True}
    )
    task.groups.add(editors)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    article = ContentType.objects.get_for_model(apps.get_model("content", "Article"))
    WorkflowContentType.objects.update_or_create(
        content_type=article, defaults={"workflow": workflow}
    )


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW).delete()
    Task.objects.filter(name=TASK).delete()
    Group.objects.filter(name__in=[AUTHORS, EDITORS, ADMINISTRATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
