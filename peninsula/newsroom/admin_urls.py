"""The tools' admin pages, under /admin/newsroom/ (wagtail_hooks.register_admin_urls)."""

from django.urls import path

from . import views

app_name = "newsroom_admin"

urlpatterns = [
    path("articles/<int:pk>/review-compare/", views.review_compare, name="review_compare"),
    path("articles/<int:pk>/views/", views.article_views, name="article_views"),
    path("articles/<int:pk>/preview-links/", views.preview_links, name="preview_links"),
    path(
        "articles/<int:pk>/preview-links/<int:link_pk>/revoke/",
        views.preview_link_revoke_view,
        name="preview_link_revoke",
    ),
]
