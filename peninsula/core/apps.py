from django.apps import AppConfig
from django.db.models.signals import post_save


class CoreConfig(AppConfig):
    name = "peninsula.core"
    label = "core"

    def ready(self):
        from . import reversing
        from .models import SiteSettings

        reversing.install()
        from .site import site_defaults_clear

        post_save.connect(
            lambda **kwargs: site_defaults_clear(),
            sender=SiteSettings,
            weak=False,
            dispatch_uid="site-defaults-clear",
        )
