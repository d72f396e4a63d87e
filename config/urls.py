"""URL map: the admin, then each app's own URLs; the reader-facing content URLs come last."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("peninsula.api.urls")),
    path("", include("peninsula.engagement.urls")),
    path("", include("peninsula.search.urls")),
    path("", include("peninsula.syndication.urls")),
    path("", include("peninsula.content.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "peninsula.core.views.page_not_found"
handler500 = "peninsula.core.views.server_error"
