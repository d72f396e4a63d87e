"""Mounted under admin/ ahead of Wagtail's own admin URLs (config/urls.py)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/verify/", views.verify, name="verify"),
    path("account/two-step/", views.two_step, name="two-step"),
    path("account/two-step/setup/", views.two_step_setup, name="two-step-setup"),
    path("account/two-step/off/", views.two_step_off, name="two-step-off"),
]
