"""Model permissions given to the newsroom's roles, for the data migrations of each app.

Each app grants its own models to 编辑 and 管理员 in a migration of its own; this is the one way
they do it, so a migration stays a list of grants. It only adds, and may run again (the tests run
it after a transactional test has emptied the tables)."""

EDITORS, ADMINISTRATORS = "编辑", "管理员"
EVERY_ACTION = ("add", "change", "delete", "view")


def permissions_grant(apps, *, app_label, grants):
    """`grants` maps a group name to {model name: actions}; missing permission rows are made."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for group_name, models in grants.items():
        permissions = []
        for model, actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permissions += [
                Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )[0]
                for action in actions
            ]
        for group in Group.objects.filter(name=group_name):
            group.permissions.add(*permissions)
