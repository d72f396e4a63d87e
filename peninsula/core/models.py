"""Site-wide settings that editors change in the admin (设置 → 站点设置)."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from peninsula.core.forms import AdminModelForm, ImageChooser


def default_language():
    return settings.LANGUAGE_CODE


def default_time_zone():
    return settings.TIME_ZONE


def default_excerpt_length():
    return settings.PENINSULA_EXCERPT_LENGTH


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a time zone name such as Asia/Shanghai."), params={"value": value}
        ) from exc


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    site_name = models.CharField(_("site name"), max_length=100, default="半岛新闻网")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    footer_text = models.TextField(_("footer text"), blank=True)
    icp_number = models.CharField(_("ICP licence number"), max_length=100, blank=True)
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default=default_language,
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("An IANA time zone name, such as Asia/Shanghai."),
    )
    excerpt_length = models.PositiveSmallIntegerField(
        _("excerpt length"), default=default_excerpt_length
    )
    republished_canonical = models.CharField(
        _("canonical link of republished articles"),
        max_length=10,
        choices=[("own", _("this site's page")), ("original", _("the original article"))],
        default="own",
        help_text=_("Which address search engines are told is the article's own (原文链接)."),
    )

    base_form_class = AdminModelForm
    panels = [
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        FieldPanel("logo", widget=ImageChooser),
        FieldPanel("footer_text"),
        FieldPanel("icp_number"),
        FieldPanel("default_language"),
        FieldPanel("time_zone"),
        FieldPanel("excerpt_length"),
    ]

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return self.site_name


class ScheduledJobQuerySet(models.QuerySet):
    def claim(self, name, *, holder, now, lease, force=False):
        """Take a job that is due and that no live scheduler holds; True if this holder won.

        One conditional UPDATE: of two schedulers claiming at once, one changes the row and the
        other matches nothing, on SQLite and on PostgreSQL alike.
        """
        rows = self.filter(name=name).filter(
            models.Q(lease_until__isnull=True) | models.Q(lease_until__lt=now)
        )
        if not force:
            rows = rows.filter(due_at__lte=now)
        return rows.update(holder=holder, lease_until=now + lease) == 1


class ScheduledJob(models.Model):
    """A recurring job's next due time and the scheduler running it now (docs/deploy.md)."""

    name = models.CharField(max_length=100, primary_key=True)
    due_at = models.DateTimeField()
    holder = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    objects = ScheduledJobQuerySet.as_manager()

    def __str__(self):
        return self.name
