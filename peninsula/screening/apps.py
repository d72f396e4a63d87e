from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "peninsula.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self):
        from . import signals  # noqa: F401
