"""Values every public template needs: the site's settings and its navigation."""

from peninsula.content.tree import category_tree
from peninsula.core.site import site_settings as load_site_settings


def site(request):
    """Site settings (a per-process memo, shared with Wagtail's `settings` context) and the
    navigation.

    The navigation comes from the cached category tree, so it usually costs no query at all; the
    tree itself is passed on too, so that the page's tags need not read the cache again.
    """
    site_settings = load_site_settings(request)
    tree = category_tree()
    return {
        "site_settings": site_settings,
        "SITE_NAME": site_settings.site_name,
        "navigation": tree.navigation,
        "category_tree": tree,
    }
