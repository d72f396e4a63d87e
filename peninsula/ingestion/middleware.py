"""Wagtail's redirects (made in the admin, or by a WordPress import for old permalinks).

Wagtail looks for a redirect only when a page is not found; WordPress's `/?p=ID` links reach
the home page, which exists, so for them the redirect is looked up first. See docs/collection.md.
"""

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

WORDPRESS_QUERY = frozenset({"p", "page_id"})


class RedirectMiddleware(WagtailRedirectMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 or request.path_info != "/":
            return super().process_response(request, response)
        if WORDPRESS_QUERY.isdisjoint(request.GET):
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path)
        if redirect is None or redirect.link is None:
            return response
        if redirect.is_permanent:
            return HttpResponsePermanentRedirect(redirect.link)
        return HttpResponseRedirect(redirect.link)
