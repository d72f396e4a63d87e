"""Preview links: a draft shown to someone outside the newsroom, until the link expires or an
editor revokes it."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SIGNING_SALT = "peninsula.newsroom.preview"


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def for_token(self, token):
        """The active link a shared address names, or None: the signature is checked before
        the database is asked, so a guessed or altered token costs no query."""
        try:
            key = signing.Signer(salt=SIGNING_SALT).unsign(token)
        except signing.BadSignature:
            return None
        return self.active().select_related("article").filter(key=key).first()


class PreviewLink(models.Model):
    """A shareable, expiring, revocable address of an article's latest version."""

    article = models.ForeignKey(
        "content.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="preview_links",
    )
    # Random, and signed in the address (`token`) so that only this site could have made it.
    key = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article_id}: {self.expires_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsroom:shared_preview", kwargs={"token": self.token})

    @property
    def token(self):
        return signing.Signer(salt=SIGNING_SALT).sign(self.key)

    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
