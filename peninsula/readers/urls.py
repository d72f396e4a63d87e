from django.urls import path

from . import views

app_name = "readers"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.SigninView.as_view(), name="login"),
    path("accounts/logout/", views.signout, name="logout"),
    path("api/accounts/me", views.me, name="me"),
]
