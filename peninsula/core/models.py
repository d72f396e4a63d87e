"""Site-wide settings that editors change in the admin (设置 → 站点设置)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


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
        default="zh-hans",
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    excerpt_length = models.PositiveSmallIntegerField(_("excerpt length"), default=100)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return self.site_name
