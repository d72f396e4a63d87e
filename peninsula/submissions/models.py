"""A reader's story (投稿): the draft article it became, and who sent it, which only editors see.

The sender's details live here, not on the article, so that nothing that shows or serialises
articles (pages, feeds, the API, search) can carry them by accident.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from peninsula.core.forms import AdminModelForm


class Submission(models.Model):
    article = models.OneToOneField(
        "content.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="submission",
    )
    name = models.CharField(_("sender's name"), max_length=50)
    contact = models.CharField(_("sender's contact"), max_length=100)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    screening = models.CharField(_("word filter"), max_length=8, blank=True)
    words = models.JSONField(_("listed words found"), default=list, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("reader submission")
        verbose_name_plural = _("reader submissions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}: {self.article_id}"


@register_setting(icon="mail")
class SubmissionSettings(BaseGenericSetting):
    enabled = models.BooleanField(_("accept reader submissions"), default=True)
    category = models.ForeignKey(
        "content.Category",
        verbose_name=_("category of new submissions"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Left empty: the first category. Editors move a story when they review it."),
    )
    intro = models.TextField(
        _("words above the form"),
        blank=True,
        help_text=_("What the site looks for, and what happens to a story once sent."),
    )

    base_form_class = AdminModelForm
    panels = [FieldPanel("enabled"), FieldPanel("category"), FieldPanel("intro")]

    class Meta:
        verbose_name = _("reader submissions")
