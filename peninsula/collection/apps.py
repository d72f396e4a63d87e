from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "peninsula.collection"
    label = "collection"
    verbose_name = _("Collection")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import jobs  # noqa: F401
        from .models import Item, Poll
        from .permissions import ReadOnlyPolicy

        for model in (Poll, Item):
            register_permission_policy(model, ReadOnlyPolicy(model))
