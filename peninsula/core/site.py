"""The site's editable defaults (language, time zone, excerpt length) for code on the hot path.

Editors change them in the admin's site settings; every process reads them at most once every few
seconds, so a request pays no query for them. Before the settings row exists, the environment's
LANGUAGE_CODE, TIME_ZONE and EXCERPT_LENGTH apply.
"""

from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError

from .memo import Memo

REFRESH_SECONDS = 5.0


class SiteDefaults(NamedTuple):
    language: str
    time_zone: str
    excerpt_length: int


_memo = Memo(timeout=REFRESH_SECONDS)


def site_defaults():
    return _memo.get(None, _load)


def site_defaults_clear():
    """Forget the memo, so that this process reads the settings again on next use."""
    _memo.clear()


def _load():
    from .models import SiteSettings

    fallback = SiteDefaults(
        settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.PENINSULA_EXCERPT_LENGTH
    )
    try:
        row = SiteSettings.objects.values_list(
            "default_language", "time_zone", "excerpt_length"
        ).first()
    except DatabaseError:
        return fallback
    if row is None:
        return fallback
    return SiteDefaults(*(value or default for value, default in zip(row, fallback, strict=True)))
