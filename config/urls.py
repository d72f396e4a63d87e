"""URL map: the admin, then each app's own URLs; the reader-facing content URLs come last."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from peninsula.core.guards import serve_media

urlpatterns = [
    path("admin/", include("peninsula.accounts.urls")),
    path("admin/", include("peninsula.newsroom.chooser_urls")),  # articles as 内部链接
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Exempt from CSRF: pages shared through the cache cannot carry one reader's token, and
    # switching the display language changes nothing stored.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/v1/", include("peninsula.api.urls")),
    path("", include("peninsula.engagement.urls")),
    path("", include("peninsula.comments.urls")),
    path("", include("peninsula.readers.urls")),
    path("", include("peninsula.screening.urls")),
    path("captcha/", include("captcha.urls")),  # its pictures; un-namespaced, as it reverses
    path("", include("peninsula.submissions.urls")),
    path("", include("peninsula.search.urls")),
    path("", include("peninsula.newsroom.urls")),
    path("", include("peninsula.syndication.urls")),
    path("", include("peninsula.curation.urls")),
    path("", include("peninsula.sharing.urls")),
    path("", include("peninsula.furniture.urls")),
    path("", include("peninsula.content.urls")),
]

# On one machine the app serves uploaded images itself; behind nginx or with S3 it does not.
if settings.SERVE_MEDIA:
    urlpatterns.insert(
        0,
        re_path(r"^media/(?P<path>.*)$", serve_media),
    )

handler404 = "peninsula.core.views.page_not_found"
# A database or Redis outage answers 503 with Retry-After instead (peninsula/core/faults.py).
handler500 = "peninsula.core.faults.server_error"
