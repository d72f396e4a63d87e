"""Who may do what to an article: authors work on their own drafts, editors on everything."""

from wagtail.permission_policies import ModelPermissionPolicy

# Actions an author may take on an article they own, with only the `add_article` permission.
OWNER_ACTIONS = frozenset({"change", "view"})


class ArticlePermissionPolicy(ModelPermissionPolicy):
    """Model permissions plus ownership: `add_article` alone lets a user edit their own articles.

    Every admin view, bulk action and Wagtail action asks this policy, so the rule holds wherever
    an article is reached, not only in the listing.
    """

    def __init__(self, model, owner_field_name="owner"):
        super().__init__(model)
        self.owner_field_name = owner_field_name

    def _is_author(self, user):
        return user.has_perm(self._get_permission_name("add"))

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        # An author may potentially change (their own) articles, enough to open the listing.
        return action in OWNER_ACTIONS and self._is_author(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if not user.is_active:
            return False
        if super().user_has_permission(user, action):
            return True
        if action in OWNER_ACTIONS and self._is_author(user):
            return getattr(instance, f"{self.owner_field_name}_id") == user.pk
        if action == "delete" and self._is_author(user):
            # An author may throw away a draft of theirs that readers have never seen.
            return (
                getattr(instance, f"{self.owner_field_name}_id") == user.pk
                and not instance.live
                and instance.first_published_at is None
            )
        return False

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if not user.is_active:
            return manager.none()
        if any(super(ArticlePermissionPolicy, self).user_has_permission(user, a) for a in actions):
            return manager.all()
        if not self._is_author(user):
            return manager.none()
        own = manager.filter(**{self.owner_field_name: user})
        if set(actions) & OWNER_ACTIONS:
            return own
        if "delete" in actions:
            return own.filter(live=False, first_published_at__isnull=True)
        return manager.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        owner = getattr(instance, self.owner_field_name)
        if owner is not None and set(actions) & OWNER_ACTIONS and self._is_author(owner):
            users = users | users.model._default_manager.filter(pk=owner.pk)
        return users.distinct()
