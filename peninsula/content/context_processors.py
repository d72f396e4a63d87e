"""Values every public template needs: the site's settings and its category tree."""

from peninsula.content.tree import category_tree
from peninsula.core.site import site_settings as load_site_settings


def site(request):
    """Site settings (a per-process memo, shared with Wagtail's `settings` context) and the
    category tree.

    The tree is cached, so it usually costs no query at all; the page's navigation, breadcrumbs
    and menus read it from here rather than from the cache again.
    """
    site_settings = load_site_settings(request)
    return {
        "site_settings": site_settings,
        "SITE_NAME": site_settings.site_name,
        "category_tree": category_tree(),
    }
