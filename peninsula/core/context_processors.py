"""Values every public template needs: the site's name and its navigation."""

from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME}
