from django.urls import path

from . import views

app_name = "furniture"
urlpatterns = [path("pages/<slug:slug>/", views.page_detail, name="page")]
