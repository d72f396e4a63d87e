"""The site's editable defaults (language, time zone, excerpt length) for code on the hot path,
and the one rule for the language a request is answered in.

Editors change them in the admin's site settings; every process reads them at most once every few
seconds, so a request pays no query for them. Before the settings row exists, the environment's
LANGUAGE_CODE, TIME_ZONE and EXCERPT_LENGTH apply.
"""

from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError
from django.utils import translation

from .memo import Memo

REFRESH_SECONDS = 5.0


class SiteDefaults(NamedTuple):
    language: str
    time_zone: str
    excerpt_length: int


_memo = Memo(timeout=REFRESH_SECONDS)
# The settings row every page shows (site name, logo, footer): read as often as the defaults.
_settings = Memo(timeout=REFRESH_SECONDS)
# Language cookie values seen (a reader may send anything): a bounded memo of what each means.
_languages = Memo(timeout=3600, max_entries=256)


def site_defaults():
    return _memo.get(None, _load)


def site_language(chosen):
    """The language a request is answered in: the reader's choice (the value of Django's
    language cookie) when the site supports it, else the site's default. The browser's
    Accept-Language is deliberately not followed (core/middleware.py)."""
    if chosen:
        language = _languages.get(chosen, lambda: _supported(chosen))
        if language is not None:
            return language
    return site_defaults().language


def _supported(chosen):
    try:
        return translation.get_supported_language_variant(chosen)
    except LookupError:
        return None


def site_settings(request=None):
    """The site settings row, read at most once every few seconds by each process (forgotten
    when the row is saved and on every purge), where Wagtail's `SiteSettings.load()` reads it
    on every request. Passed a request, the row is also what `load(request_or_site=request)`
    answers for the rest of it. Shared between threads: read it, never change it."""
    from .models import SiteSettings

    row = _settings.get(None, SiteSettings.load)
    if request is not None:
        setattr(request, SiteSettings.get_cache_attr_name(), row)
    return row


def site_defaults_clear():
    """Forget the memos, so that this process reads the settings again on next use."""
    _memo.clear()
    _settings.clear()


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
