"""The admin's source form: the address is fetched once, through the guard, before it is saved."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .fetching import CollectError
from .services import source_probe


class FeedForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("url")
        if url and (self.instance.pk is None or "url" in self.changed_data):
            try:
                kind, name = source_probe(url, guarded=True)
            except CollectError as error:
                raise ValidationError({"url": str(error)}) from None
            self.instance.kind = kind
            if not cleaned.get("name"):
                cleaned["name"] = name
        return cleaned
