from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "peninsula.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from . import signals  # noqa: F401
