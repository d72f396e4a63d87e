"""The allowed providers, as every request reads them: memoised per process and forgotten with
the page cache's purges (saving the setting purges every page, see pagecache/signals.py)."""

from django.db import DatabaseError

from peninsula.core.memo import Memo

from .providers import PROVIDERS

_memo = Memo(timeout=60)


def allowed_providers():
    """The keys of the providers the site allows, in the catalogue's order."""
    return _memo.get(None, _load)


def frame_origins():
    """The origins pages may frame: exactly the allowed providers' players."""
    return [PROVIDERS[key].origin for key in allowed_providers()]


def forget():
    _memo.clear()


def _load():
    from .models import EmbedSettings

    try:
        row = EmbedSettings.objects.values_list("providers", flat=True).first()
    except DatabaseError:
        return ()
    return tuple(key for key in PROVIDERS if key in (row or ()))
