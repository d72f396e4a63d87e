"""Feeds under /feeds/<format>/…, the sitemaps and robots.txt."""

from django.urls import path

from peninsula.core.http import public_page
from peninsula.syndication import feeds, views

app_name = "syndication"
urlpatterns = [
    path("feeds/rss/", public_page(feeds.ArticleFeed()), name="rss"),
    path("feeds/atom/", public_page(feeds.ArticleAtomFeed()), name="atom"),
    path("feeds/rss/category/<slug:slug>/", public_page(feeds.CategoryFeed()), name="category-rss"),
    path("feeds/atom/category/<slug:slug>/", public_page(feeds.CategoryAtomFeed()), name="category-atom"),
    path("feeds/rss/tag/<str:slug>/", public_page(feeds.TagFeed()), name="tag-rss"),
    path("feeds/atom/tag/<str:slug>/", public_page(feeds.TagAtomFeed()), name="tag-atom"),
    path("feeds/rss/author/<slug:slug>/", public_page(feeds.AuthorFeed()), name="author-rss"),
    path("feeds/atom/author/<slug:slug>/", public_page(feeds.AuthorAtomFeed()), name="author-atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
