"""URL reversing remembered in each process.

Django's `reverse()` walks every way a URL name can be written and checks its answer against
the pattern's regular expression on each call: 20–35 µs, and a reader page reverses 10 to 35
URLs (its own, each card's and tag's, the feeds', the header's and footer's links). The answer
depends on nothing but the URL configuration (fixed for the life of a process; a different
one is another resolver, so another key), the script prefix and the arguments, so the last
`SIZE` answers are kept. Installed once, by the core app, under every caller (`reverse()`,
`{% url %}`, `get_absolute_url`). Measured in docs/decisions.md, "Prepared reader queries".

`reverse()` here keeps the whole answer, for the reader pages' own links (the templates' `url()`,
the models' `get_absolute_url`): Django's still reads the language twice per namespace and the
URL configuration and prefix before it reaches the remembered part, about half its cost.
"""

import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import reverse as django_reverse
from django.urls.resolvers import URLResolver

from . import scope

SIZE = 8192

_uncached = URLResolver._reverse_with_prefix


@lru_cache(maxsize=SIZE)
def _remembered(resolver, lookup_view, prefix, args, kwargs):
    return _uncached(
        resolver,
        lookup_view,
        prefix,
        *(value for _, value in args),
        **{name: value for name, (_, value) in kwargs},
    )


def _reverse_with_prefix(self, lookup_view, _prefix, *args, **kwargs):
    # Keyed with each value's type: 1, 1.0 and True are equal and hash alike, but need not
    # give the same URL.
    try:
        return _remembered(
            self,
            lookup_view,
            _prefix,
            _typed(args),
            tuple(sorted((name, (type(value), value)) for name, value in kwargs.items())),
        )
    except TypeError:  # an unhashable argument: reversed as it comes
        return _uncached(self, lookup_view, _prefix, *args, **kwargs)


def _typed(args):
    return tuple((type(value), value) for value in args)


@lru_cache(maxsize=SIZE)
def _reversed(viewname, args, kwargs, prefix, urlconf):
    return django_reverse(
        viewname,
        urlconf=urlconf,
        args=[value for _, value in args],
        kwargs={name: value for name, (_, value) in kwargs},
    )


def reverse(viewname, *, args=(), kwargs=None):
    """Django's `reverse()` of a URL name, remembered for this URL configuration and prefix."""
    kwargs = kwargs or {}
    try:
        return _reversed(
            viewname,
            _typed(args),
            tuple(sorted((name, (type(value), value)) for name, value in kwargs.items())),
            *scope.urls(),
        )
    except TypeError:  # an unhashable argument
        return django_reverse(viewname, args=args, kwargs=kwargs)


# A path with nothing in it that Django's `iri_to_uri` would quote, and no dot segment to resolve.
_PLAIN_PATH = re.compile(r"/(?!/)[A-Za-z0-9\-._~/#%\[\]=:;$&()+,!?*@']*")
_ORIGIN = "peninsula_origin"


def absolute(request, location):
    """`request.build_absolute_uri(location)`. A plain path, as this site's reversed URLs and
    stored files' URLs are, is joined to the request's scheme and host as it is: Django parses
    and quotes the whole URL again on each call, and an article page makes ten."""
    location = str(location)  # a lazy URL, as Django's takes it
    if not _PLAIN_PATH.fullmatch(location) or "/./" in location or "/../" in location:
        return request.build_absolute_uri(location)
    origin = request.__dict__.get(_ORIGIN)
    if origin is None:
        origin = request.__dict__[_ORIGIN] = request.build_absolute_uri("/")[:-1]
    return origin + location


def _forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="reversing-root-urlconf-changed")


def install():
    URLResolver._reverse_with_prefix = _reverse_with_prefix
