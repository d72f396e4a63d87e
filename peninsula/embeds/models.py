"""Which embed providers the site allows: a setting editors with the right see under 设置."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from peninsula.core.forms import AdminModelForm

from .providers import PROVIDER_CHOICES


class EmbedForm(AdminModelForm):
    providers = forms.MultipleChoiceField(
        label=_("Allowed providers"),
        choices=PROVIDER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Videos from these sites may be embedded in articles; pages allow frames from them "
            "and from no other site."
        ),
    )


@register_setting(icon="media")
class EmbedSettings(BaseGenericSetting):
    providers = models.JSONField(_("allowed providers"), default=list, blank=True)

    base_form_class = EmbedForm
    panels = [FieldPanel("providers")]

    class Meta:
        verbose_name = _("embeds")

    def __str__(self):
        return ", ".join(self.providers)
