"""URL reversing remembered in each process.

Django's `reverse()` walks every way a URL name can be written and checks its answer against
the pattern's regular expression on each call: 20–35 µs, and a reader page reverses 10 to 35
URLs (its own, each card's and tag's, the feeds', the header's and footer's links). The answer
depends on nothing but the URL configuration (fixed for the life of a process; a different
one is another resolver, so another key), the script prefix and the arguments, so the last
`SIZE` answers are kept. Installed once, by the core app, under every caller (`reverse()`,
`{% url %}`, `get_absolute_url`). Measured in docs/decisions.md, "Prepared reader queries".
"""

from functools import lru_cache

from django.urls.resolvers import URLResolver

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
            tuple((type(value), value) for value in args),
            tuple(sorted((name, (type(value), value)) for name, value in kwargs.items())),
        )
    except TypeError:  # an unhashable argument: reversed as it comes
        return _uncached(self, lookup_view, _prefix, *args, **kwargs)


def install():
    URLResolver._reverse_with_prefix = _reverse_with_prefix
