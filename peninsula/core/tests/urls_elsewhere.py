"""The project's URLs under another path, for a test that changes ROOT_URLCONF."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("config.urls"))]
