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


def render(template_name, values, key, *, fill=None):
    """`template_name` (a Jinja2 template) rendered with `values` only, or the HTML it gave last
    time for this key; with `fill`'s values, escaped, where the template shows them. `values`
    may be a function that returns them, called only when the key is new (values that cost
    more to gather than the key)."""
    if fill:

        def with_marks():
            given = values() if callable(values) else values
            return {**given, **{name: Markup(_mark(name)) for name in fill}}

        html = render(template_name, with_marks, (key, tuple(sorted(fill))))
        filled = {name: str(escape(value)) for name, value in fill.items()}
        # One pass: a value that looks like a mark is not filled in turn.
        return Markup(_MARKS.sub(lambda match: filled.get(match[1], match[0]), html))
    full_key = (template_name, key, scope.current())
    with _lock:
        html = _entries.get(full_key)
        if html is not None:
            _entries.move_to_end(full_key)
            return html
    html = templates.render(template_name, values() if callable(values) else values)
    with _lock:
        _entries[full_key] = html
        if len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return html


def forget_all(**kwargs):
    """Drop every entry: a template file or a setting changed (development server, tests)."""
    with _lock:
        _entries.clear()


file_changed.connect(forget_all, dispatch_uid="fragments-file-changed")
setting_changed.connect(forget_all, dispatch_uid="fragments-setting-changed")
