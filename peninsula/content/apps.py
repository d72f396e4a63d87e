from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "peninsula.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import jobs, signals  # noqa: F401
        from .models import Article
        from .permissions import ArticlePermissionPolicy

        # Before Wagtail's snippet registration could create a fallback policy for Article.
        register_permission_policy(Article, ArticlePermissionPolicy(Article))
