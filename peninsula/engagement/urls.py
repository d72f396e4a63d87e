from django.urls import path

from . import views

app_name = "engagement"

urlpatterns = [
    path("api/articles/<int:article_id>/view", views.article_view, name="article-view"),
    path("api/articles/<int:article_id>/like", views.article_like, name="article-like"),
    path("api/articles/<int:article_id>/stats", views.article_stats, name="article-stats"),
    path("rankings/", views.rankings_page, name="rankings"),
    path("rankings/<slug:slug>/", views.rankings_page, name="rankings-category"),
]
