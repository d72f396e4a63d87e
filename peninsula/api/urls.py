from django.http import JsonResponse
from django.urls import path, re_path

from .api import api


def unknown_endpoint(request, rest):
    """Paths under /api/v1/ that name no endpoint answer JSON too, not the site's HTML 404 page."""
    return JsonResponse({"detail": "No such API endpoint; see /api/v1/docs."}, status=404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
