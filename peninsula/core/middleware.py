"""Language and time zone for each request, chosen by the site rather than by the browser."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from peninsula.core.site import site_defaults, site_language


class SiteLanguageMiddleware:
    """Activate the language a reader chose (Django's language cookie), else the site's default.

    Django's LocaleMiddleware would follow the browser's Accept-Language header and show a
    Chinese site in English to every visitor whose browser prefers English; here only an explicit
    choice through the language switcher changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(site_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)))
        request.LANGUAGE_CODE = translation.get_language()
        timezone.activate(site_defaults().time_zone)
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response
