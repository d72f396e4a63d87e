"""Writes of the newsroom tools: sharing a preview link and revoking it."""

from django.utils import timezone

from .models import PreviewLink

# How long a shared preview may stay open: long enough for a source to check a quote over a
# weekend, short enough that a forgotten link closes itself.
PREVIEW_LINK_DAYS = (1, 3, 7)


def preview_link_create(*, article, user, days):
    if days not in PREVIEW_LINK_DAYS:
        raise ValueError(f"a preview link lasts one of {PREVIEW_LINK_DAYS} days")
    return PreviewLink.objects.create(
        article=article, created_by=user, expires_at=timezone.now() + timezone.timedelta(days=days)
    )


def preview_link_revoke(*, link):
    """Closes the link at once; revoking twice keeps the first time."""
    PreviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
