"""Values every public template needs: the site's settings and its navigation."""

from peninsula.content.tree import category_tree
from peninsula.core.models import SiteSettings


def site(request):
    """Site settings (one query, shared with Wagtail's `settings` context) and the navigation.

    The navigation comes from the cached category tree, so it usually costs no query at all; the
    tree itself is passed on too, so that the page's tags need not read the cache again.
    """
    site_settings = SiteSettings.load(request_or_site=request)
    tree = category_tree()
    return {
        "site_settings": site_settings,
        "SITE_NAME": site_settings.site_name,
        "navigation": tree.navigation(),
        "category_tree": tree,
    }
