"""The sensitive-word lists (敏感词) and the switches of the abuse protections.

Each word carries its action. A `list_name` groups words (政治, 广告, …) so that an administrator
can filter, review and import them by list; it changes nothing in matching.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from peninsula.core.forms import AdminModelForm

from .normalize import fold_word


class Action(models.TextChoices):
    """What a listed word does to a text, from the mildest; the most severe match decides."""

    MASK = "mask", _("Mask as ＊")
    HOLD = "hold", _("Hold for review")
    BLOCK = "block", _("Block")


SEVERITY = {Action.MASK: 1, Action.HOLD: 2, Action.BLOCK: 3}


class SensitiveWord(models.Model):
    word = models.CharField(_("word"), max_length=100, unique=True)
    action = models.CharField(_("action"), max_length=8, choices=Action, default=Action.HOLD)
    list_name = models.CharField(
        _("list"), max_length=50, blank=True, db_index=True, help_text=_("For example 广告, 政治.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    base_form_class = AdminModelForm
    panels = [FieldPanel("word"), FieldPanel("action"), FieldPanel("list_name"), FieldPanel("note")]

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["word"]

    def __str__(self):
        return self.word

    def clean(self):
        self.word = (self.word or "").strip()
        if self.word and not fold_word(self.word):
            raise ValidationError(
                {"word": _("A word needs at least one letter or digit; punctuation is ignored.")}
            )


class WordsVersion(models.Model):
    """One row whose token is new with every change of the lists: each process compares it with
    the token its automaton was built from (`services.py`). A random token rather than a
    counter, so that a change rolled back can never leave a number that a later change reuses."""

    version = models.CharField(max_length=32, default="")

    def __str__(self):
        return self.version


@register_setting(icon="warning")
class ScreeningSettings(BaseGenericSetting):
    captcha_enabled = models.BooleanField(
        _("ask readers for a captcha"),
        default=False,
        help_text=_("Comments and submissions (投稿) then ask for the characters of a picture."),
    )

    base_form_class = AdminModelForm
    panels = [FieldPanel("captcha_enabled")]

    class Meta:
        verbose_name = _("comment and submission protection")
