"""How a view says what it is: read-only (GET and HEAD), and a page every anonymous reader shares.

The request guards and the page cache read these marks from the view itself, so a new page is
guarded and cached by decorating it, with no list in another app to keep in step
(docs/caching.md).
"""

from django.views.decorators.http import require_safe


def read_only(view):
    """Answer GET and HEAD only; the request guards refuse other methods before CSRF checks."""
    view = require_safe(view)
    view.read_only = True
    return view


def public_page(view):
    """A read-only page the page cache may store and share between anonymous readers."""
    view = read_only(view)
    view.public_page = True
    return view


def is_read_only(view):
    return getattr(view, "read_only", False)


def is_public_page(view):
    return getattr(view, "public_page", False)
