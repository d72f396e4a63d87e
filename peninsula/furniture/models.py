"""Site furniture editors manage: static pages (关于我们, 联系我们, …) linked from the footer,
友情链接 (friend links) and 广告位 (ads). See docs/curation.md."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from peninsula.core.html import sanitize_html

WEB_URL = URLValidator(schemes=["http", "https"])


class StaticPage(models.Model):
    title = models.CharField(_("title"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Used in the page's URL.")
    )
    body = RichTextField(_("body"), blank=True)
    in_footer = models.BooleanField(_("link in footer"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("static page")
        verbose_name_plural = _("static pages")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("furniture:page", kwargs={"slug": self.slug})


class FriendLink(models.Model):
    """友情链接: another site linked from the footer."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address"), validators=[WEB_URL])
    enabled = models.BooleanField(_("shown"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("friend link")
        verbose_name_plural = _("friend links")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class AdQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=now),
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            enabled=True,
        )

    def boundaries_between(self, since, until):
        return self.filter(
            Q(starts_at__gt=since, starts_at__lte=until) | Q(ends_at__gt=since, ends_at__lte=until)
        )


class Ad(models.Model):
    """A 广告位 entry: a picture or sanitised HTML with a link, shown in its position between
    its start and end, always labelled 广告. Its HTML can never run script: it is cleaned by
    the site's sanitiser whenever it is saved (no script, no event handlers, no javascript:)."""

    name = models.CharField(_("name"), max_length=100, help_text=_("For editors only."))
    position = models.SlugField(
        _("position"),
        max_length=50,
        help_text=_('Templates place ads by position: {% ad_slot "home-sidebar" %}.'),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    alt = models.CharField(
        _("picture text"), max_length=200, blank=True, help_text=_("Says what the picture shows.")
    )
    html = models.TextField(
        _("HTML"),
        blank=True,
        help_text=_("Instead of a picture; scripts, styles and event handlers are removed."),
    )
    link = models.URLField(_("link"), blank=True, validators=[WEB_URL])
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    enabled = models.BooleanField(_("shown"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    objects = AdQuerySet.as_manager()

    class Meta:
        verbose_name = _("ad")
        verbose_name_plural = _("ads")
        ordering = ["position", "sort_order", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.html = sanitize_html(self.html)
        super().save(*args, **kwargs)

    def clean(self):
        if not self.image_id and not self.html.strip():
            raise ValidationError(_("An ad needs a picture or HTML."))
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})
