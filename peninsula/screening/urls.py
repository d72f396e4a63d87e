from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("captcha/new/", views.captcha_new, name="captcha-new"),
]
