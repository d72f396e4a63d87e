"""The reader's URLs. Article URLs hold the id: a new title, slug or category breaks none."""

from django.urls import path, re_path

from . import views

app_name = "content"
urlpatterns = [
    path("", views.home, name="home"),
    path("tag/<str:slug>/", views.tag_detail, name="tag"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", views.archive_year, name="archive-year"),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})/$",
        views.archive_month,
        name="archive-month",
    ),
    path("<slug:category_slug>/<int:pk>.html", views.article_detail, name="article"),
    path("<slug:slug>/", views.category_detail, name="category"),
]
