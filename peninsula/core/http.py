"""How a view says what it is: a reader page anyone may share, answered to GET and HEAD only.

The page cache and the request guards read the mark from the view itself, so a new page is
cached by decorating it, with no list in another app to keep in step (docs/caching.md).
"""

from django.views.decorators.http import require_safe


def public_page(view):
    """Mark `view` as a page shared by every anonymous reader; other methods answer 405."""
    view = require_safe(view)
    view.public_page = True
    return view


def is_public_page(view):
    return getattr(view, "public_page", False)
