"""The footer's pages and links and the current ads, read once per process and kept until a
purge (peninsula.core.memo) or the next ad's start or end: no query on most pages."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Min, Q
from django.utils import timezone
from wagtail.images.models import SourceImageIOError

from peninsula.core.html import sanitize_html
from peninsula.core.memo import Memo

from .models import Ad, FriendLink, StaticPage

MEMO_SECONDS = 600
AD_SPEC = "max-728x400"

_memo = Memo(timeout=MEMO_SECONDS, max_entries=2)


@dataclass(frozen=True)
class AdView:
    pk: int
    html: str
    link: str
    image_url: str
    width: int
    height: int
    alt: str


def footer():
    """((page title, url), …), ((link name, url), …)."""
    return _memo.get("footer", _load_footer)


def _load_footer():
    pages = tuple(
        (page.title, page.get_absolute_url()) for page in StaticPage.objects.filter(in_footer=True)
    )
    links = tuple(FriendLink.objects.filter(enabled=True).values_list("name", "url"))
    return pages, links


def ads(position):
    valid_until, by_position = _memo.get("ads", _load_ads)
    if valid_until <= timezone.now():
        _memo.forget("ads")
        valid_until, by_position = _memo.get("ads", _load_ads)
    return by_position.get(position, ())


def forget():
    _memo.clear()


def _load_ads():
    now = timezone.now()
    by_position = {}
    for ad in Ad.objects.current(now).select_related("image"):
        by_position.setdefault(ad.position, []).append(_view(ad))
    later = Ad.objects.filter(Q(starts_at__gt=now) | Q(ends_at__gt=now)).aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)),
        end=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    times = [t for t in later.values() if t is not None]
    valid_until = min(times) if times else now + timedelta(seconds=MEMO_SECONDS)
    return valid_until, {key: tuple(views) for key, views in by_position.items()}


def _view(ad):
    image_url, width, height = "", 0, 0
    if ad.image is not None:
        try:
            rendition = ad.image.get_rendition(AD_SPEC)
            image_url, width, height = rendition.url, rendition.width, rendition.height
        except (SourceImageIOError, FileNotFoundError):
            pass
    # Cleaned again on the way out: a row written around save() (SQL, an import) is covered too.
    html = sanitize_html(ad.html)
    return AdView(ad.pk, html, ad.link, image_url, width, height, ad.alt or ad.name)
