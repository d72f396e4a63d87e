from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "peninsula.engagement"
    label = "engagement"
    verbose_name = _("Engagement")

    def ready(self):
        from . import jobs, signals  # noqa: F401
