from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("share/qr/<slug:category_slug>/<int:pk>.svg", views.article_qr, name="qr"),
]
