from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FurnitureConfig(AppConfig):
    name = "peninsula.furniture"
    label = "furniture"
    verbose_name = _("Site furniture")

    def ready(self):
        from . import jobs, signals  # noqa: F401
