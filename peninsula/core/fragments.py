"""Rendered HTML fragments kept in this process's memory, keyed by everything they show.

Parts of a page that most requests render alike (the navigation, a ranking list, an article card)
cost far more to render through the template engine than to look up. An entry's key is the
fragment's inputs themselves, plus the active language, time zone and URL prefix, so an entry is
never stale: a new title is a new key, and the old entry ages out of the bounded memo. Nothing needs
invalidating when content is published, and nothing is shared between processes.

The rule for a caller: the key must hold every value the template shows, and the template gets
only the values passed to `render` (no request, no context processors). A value that differs
on every page (the page's own path in the site header) is a `fill`: the template shows it
with a plain `{{ name }}` and the kept HTML has a mark there, which each call replaces with the
value, escaped.
"""

import re
import threading
from collections import OrderedDict

from django.core.signals import setting_changed
from django.utils.autoreload import file_changed
from markupsafe import Markup, escape

from peninsula.core import jinja2 as templates
from peninsula.core import scope

# A few megabytes: room for the navigation, the ranking lists and a few hundred pages of cards.
MAX_ENTRIES = 5000

_entries = OrderedDict()
_lock = threading.Lock()


def _mark(name):
    # Private-use characters: escaping leaves them alone, and no text of a template has them.
    return f"\ue000{name}\ue001"


_MARKS = re.compile("\ue000(\\w+)\ue001")
# In the key of a fragment kept split at its marks: no caller's key equals one holding it.
_FILLED = object()


def _split(html):
    return tuple(_MARKS.split(html))


def render(template_name, values, key, *, fill=None):
    """`template_name` (a Jinja2 template) rendered with `values` only, or the HTML it gave last
    time for this key; with `fill`'s values, escaped, where the template shows them. `values`
    may be a function that returns them, called only when the key is new (values that cost
    more to gather than the key)."""
    if not fill:
        return _kept(template_name, key, values, Markup)
    names = tuple(sorted(fill))

    def with_marks():
        given = values() if callable(values) else values
        return {**given, **{name: Markup(_mark(name)) for name in names}}

    # Kept split at its marks (text, name, text, …), so that a call joins a few strings rather
    # than searching the whole fragment: 15 µs for the comments section's 4 KB.
    parts = _kept(template_name, (_FILLED, key, names), with_marks, _split)
    filled = list(parts)
    for at in range(1, len(parts), 2):
        name = parts[at]
        # A value is placed after the split: one that looks like a mark is not filled in turn.
        filled[at] = str(escape(fill[name])) if name in fill else _mark(name)
    return Markup("".join(filled))


def _kept(template_name, key, values, form):
    """The entry for this template and key, made on a miss as `form(rendered HTML)`."""
    full_key = (template_name, key, scope.current())
    with _lock:
        entry = _entries.get(full_key)
        if entry is not None:
            _entries.move_to_end(full_key)
            return entry
    entry = form(templates.render(template_name, values() if callable(values) else values))
    with _lock:
        _entries[full_key] = entry
        if len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return entry


def forget_all(**kwargs):
    """Drop every entry: a template file or a setting changed (development server, tests)."""
    with _lock:
        _entries.clear()


file_changed.connect(forget_all, dispatch_uid="fragments-file-changed")
setting_changed.connect(forget_all, dispatch_uid="fragments-setting-changed")
