"""The link chooser's 内部链接 tab lists articles: these take Wagtail's page chooser addresses,
so they are included ahead of Wagtail's admin URLs (config/urls.py; newsroom.links)."""

from django.urls import path

from . import views

urlpatterns = [
    path("choose-page/", views.article_link_chooser),
    path("choose-page/<int:parent_page_id>/", views.article_link_chooser),
]
