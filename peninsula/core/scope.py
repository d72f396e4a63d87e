"""What a page's render reads from thread-locals, read once per page.

The language, time zone, URL prefix and URL configuration are set by the middleware before the
view and nothing in a render changes them. Each is an `asgiref` local, 1–2 µs a read, and a page
asked for them on each of its 15–30 fragments and 10–35 reversed URLs (a tenth of a category
page). `page()` reads them once while a page renders; `current()` answers from there, or reads
them outside a page.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation

_scope = ContextVar("page_scope", default=None)


def _read():
    return (
        translation.get_language(),
        timezone.get_current_timezone(),
        get_script_prefix(),
        get_urlconf(),
    )


def current():
    """(language, time zone, script prefix, URL configuration)."""
    return _scope.get() or _read()


def time_zone():
    """The active time zone (a tzinfo)."""
    scope = _scope.get()
    return timezone.get_current_timezone() if scope is None else scope[1]


def urls():
    """(script prefix, URL configuration): what a reversed URL depends on."""
    scope = _scope.get()
    if scope is None:
        return get_script_prefix(), get_urlconf()
    return scope[2], scope[3]


@contextmanager
def page():
    """Read the scope once for the page rendered inside (threads and tasks each have their
    own)."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set(_read())
    try:
        yield
    finally:
        _scope.reset(token)
